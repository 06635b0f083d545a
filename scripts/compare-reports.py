#!/usr/bin/env python3
"""Side-by-side table of two or more `esae reproduce` studies, read from their report.json alone.

  python3 scripts/compare-reports.py NAME=DIR [NAME=DIR ...]

Prints Markdown: the claims' verdicts, R² of M per solver, probing (best probe per task, L = the
longest, the middle probed K; XGBoost in brackets), spliced MSE and L1 at that K, the invariant SAE's
FVU, the atlas's invariant features, and the wall time. Nothing is computed that the reports do not
hold; it only lines their numbers up.
"""
import json
import sys

KINDS = ["topk", "wide", "twolayer", "invariant", "equivariant"]


def load(arg):
    name, folder = arg.split("=", 1)
    return name, json.load(open(f"{folder}/report.json"))


def probe_rows(model, inp, group, probe):
    rows = [r for r in model["probing"] if r["input"] == inp and r["probe"] == probe]
    if not rows:
        return {}, None, None
    length = max(r["L"] for r in rows)
    ks = sorted({r["k"] for r in rows})
    k = ks[len(ks) // 2]
    return {r["kind"]: r[group] for r in rows if r["L"] == length and r["k"] == k}, k, length


def main(args):
    studies = [load(a) for a in args]
    names = [n for n, _ in studies]
    out = ["| quantity | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]

    def row(label, values):
        out.append(f"| {label} | " + " | ".join(values) + " |")

    row("canonical images", [r["settings"].get("orientations", "random (before the option)") for _, r in studies])
    for claim in ["R1", "R2a", "R2b", "R3a", "R3b"]:
        row(f"claim {claim} (MLP / CNN)", [" / ".join(r["claims"][claim]["models"][m]["verdict"] for m in ("mlp", "cnn"))
                                        if "claims" in r else "–" for _, r in studies])
    for m in ("mlp", "cnn"):
        M = m.upper()
        row(f"{M}: R² of M, adam / lbfgs / identity", [
            " / ".join(f"{r['models'][m]['r2'][s]['fitted']['mean']:.4f}" for s in ("adam", "lbfgs"))
            + f" / {r['models'][m]['r2']['adam']['identity']['mean']:.4f}" for _, r in studies])
        for inp, group, what in (("latents", "S", "latents, S tasks"), ("reconstruction", "all", "reconstructions, all tasks")):
            vals = []
            for _, r in studies:
                best, k, length = probe_rows(r["models"][m], inp, group, "best")
                xgb, _, _ = probe_rows(r["models"][m], inp, group, "xgboost")
                vals.append(" / ".join(f"{best[kd]:.3f}" + (f" [{xgb[kd]:.3f}]" if kd in xgb else "") for kd in KINDS)
                            + f" (K={k}, L={length})")
            row(f"{M}: {what}, {' / '.join(KINDS)}", vals)
        for key, label in (("spliced_mse", "spliced MSE"), ("l1", "L1 of z")):
            vals = []
            for _, r in studies:
                pts = {(p["kind"], p["k"]): p for p in r["models"][m]["frontier"]}
                ks = sorted({p["k"] for p in r["models"][m]["frontier"]})
                k = ks[len(ks) // 2]
                base = r["models"][m]["frontier"][0]["base_mse"]
                vals.append(" / ".join(f"{pts[(kd, k)][key]:.4g}" for kd in KINDS)
                            + (f" (K={k}; base {base:.4g})" if key == "spliced_mse" else f" (K={k})"))
            row(f"{M}: {label}, {' / '.join(KINDS)}", vals)
        vals = []
        for _, r in studies:
            inv = [s for s in r["models"][m]["saes"] if s["kind"] == "invariant"]
            vals.append(" / ".join(f"{s['fvu']:.3f}" for s in inv) + " (K=" + ",".join(str(s["k"]) for s in inv) + ")")
        row(f"{M}: invariant SAE's FVU against ψ(x)", vals)
        row(f"{M}: atlas, invariant of the most frequent features",
            [f"{r['models'][m]['atlas']['invariant']} of {r['models'][m]['atlas']['features']}" if r["models"][m].get("atlas") else "–"
             for _, r in studies])
    row("wall time of the steps (s)", [f"{sum(r['timings_s'].values()):.0f}" for _, r in studies])
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1:])
