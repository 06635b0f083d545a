#!/usr/bin/env bash
# Opens STUDY_DIR/report.html in headless Chromium, offline, and checks that it rendered: the
# claims table is there with a verdict per claim, every image decoded, the atlas is linked, and
# nothing was fetched from the network. With PNG, also saves a screenshot of the top of the page.
#   scripts/check-report-html.sh STUDY_DIR [PNG]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 STUDY_DIR [PNG]" >&2
  exit 2
fi
study="$1"
png="${2:-}"
page="$study/report.html"
if [ ! -f "$page" ]; then
  echo "check-report-html: $page not found (esae reproduce writes it in its report step)" >&2
  exit 2
fi
chromium_bin="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium_bin" ]; then
  echo "check-report-html: chromium not found; install it (Debian: apt-get install -y chromium) or set CHROMIUM=/path/to/chromium" >&2
  exit 2
fi

work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
# The page itself has no script. A copy gets one inline probe that, once everything has loaded,
# writes what it found onto <html>; --dump-dom then shows it. Inline, so it fetches nothing either.
probe='<script>addEventListener("load",()=>{const h=document.documentElement,i=[...document.images];'
probe+='h.dataset.images=i.length;h.dataset.decoded=i.filter(x=>x.complete&&x.naturalWidth>0).length;'
probe+='const t=document.querySelector("table");h.dataset.claims=t?t.tBodies[0].rows.length:0;'
probe+='h.dataset.verdicts=document.querySelectorAll("td.holds,td.fails").length;'
probe+='h.dataset.resources=performance.getEntriesByType("resource").length;'
probe+='h.dataset.atlas=[...document.links].filter(a=>a.getAttribute("href")=="atlas.html").length;h.dataset.done="yes";});</script>'
sed "s#</body>#${probe//&/\\&}</body>#" "$page" > "$work/report.html"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile"
  --virtual-time-budget=10000)
"$chromium_bin" "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2> "$work/chromium.log" || {
  echo "check-report-html: chromium failed; its log:" >&2
  tail -20 "$work/chromium.log" >&2
  exit 1
}
attr() {
  grep -o "data-$1=\"[^\"]*\"" "$work/dom.html" | head -1 | sed 's/.*="\(.*\)"/\1/'
}
fail=0
check() {
  if [ "$2" = ok ]; then
    echo "ok   $1"
  else
    echo "FAIL $1" >&2
    fail=1
  fi
}
[ "$(attr done)" = yes ] || { echo "check-report-html: the page did not finish loading in Chromium" >&2; exit 1; }
images="$(attr images)"; decoded="$(attr decoded)"; claims="$(attr claims)"
check "claims table: $claims rows" "$([ "$claims" -ge 5 ] && echo ok)"
for id in R1 R2a R2b R3a R3b; do
  check "claim $id present" "$(grep -q "<td>$id: " "$work/dom.html" && echo ok)"
done
check "verdict cells styled: $(attr verdicts)" "$([ "$(attr verdicts)" -ge 15 ] && echo ok)"
check "images decoded: $decoded of $images" "$([ "$images" -gt 0 ] && [ "$decoded" = "$images" ] && echo ok)"
check "links to atlas.html: $(attr atlas)" "$([ "$(attr atlas)" -ge 1 ] && echo ok)"
check "resources fetched: $(attr resources)" "$([ "$(attr resources)" = 0 ] && echo ok)"
check "no http(s) URL in the page" "$(grep -qE 'https?://' "$page" || echo ok)"

if [ -n "$png" ]; then
  # The screenshot is of the page as written, without the probe.
  "$chromium_bin" "${flags[@]}" --window-size=1280,2000 --screenshot="$png" "file://$(cd "$study" && pwd)/report.html" \
    >> "$work/chromium.log" 2>&1 || { echo "check-report-html: the screenshot failed" >&2; tail -20 "$work/chromium.log" >&2; exit 1; }
  check "screenshot $png ($(stat -c %s "$png") bytes)" "$([ -s "$png" ] && echo ok)"
fi
if [ "$fail" != 0 ]; then
  echo "check-report-html: $page did not render as it should" >&2
  exit 1
fi
echo "check-report-html: $page renders (Chromium $("$chromium_bin" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1))"
