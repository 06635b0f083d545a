package dev.esae.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code report.html}: a {@link ReportDocument} as one self-contained HTML5 page: its tables as
 * tables, its figures inline as PNG data, verdicts coloured, a link to {@code atlas.html}, and no
 * script, stylesheet, font or image fetched from anywhere. The markup is also well-formed XML
 * (void elements closed, only XML's own entities), so a test can parse it with the JDK.
 */
public final class ReportHtml {
    /** The inline marks of {@link ReportDocument}, matched on escaped text: `code`, **bold**, [text](href). */
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`|\\*\\*(.+?)\\*\\*|\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");
    private static final String STYLE = "body{font-family:sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222;"
            + "line-height:1.4}h1{margin-bottom:4px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}"
            + "table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;"
            + "vertical-align:top}th{background:#f4f4f4}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
            + "tbody tr:nth-child(even){background:#fafafa}code{background:#f2f2f2;padding:0 3px;border-radius:3px}"
            + ".holds{color:#006d2c;background:#e5f5e0;font-weight:bold;white-space:nowrap}"
            + ".fails{color:#a50f15;background:#fee0d2;font-weight:bold;white-space:nowrap}"
            + "figure{margin:8px 0 24px}figure img{max-width:100%;height:auto;border:1px solid #ddd}"
            + "figcaption{color:#555;font-size:90%}nav{margin:8px 0 16px}.missing{color:#a50f15}";

    private ReportHtml() {}

    /** The page; figures are read from {@code figuresDir} and inlined (a missing one is named on the page instead). */
    public static String render(ReportDocument doc, Path figuresDir) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>")
                .append(Html.escape(doc.title())).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
                .append(Html.escape(doc.title())).append("</h1>\n")
                .append("<nav>The feature atlas: <a href=\"atlas.html\">atlas.html</a>. The same numbers: report.md, report.json.</nav>\n");
        for (ReportDocument.Block b : doc.blocks()) {
            if (b instanceof ReportDocument.Heading head) {
                h.append("<h").append(head.level()).append('>').append(inline(head.text())).append("</h").append(head.level()).append(">\n");
            } else if (b instanceof ReportDocument.Text t) {
                h.append("<p>");
                for (int i = 0; i < t.lines().size(); i++) {
                    h.append(i == 0 ? "" : "<br/>\n").append(inline(t.lines().get(i)));
                }
                h.append("</p>\n");
            } else if (b instanceof ReportDocument.Table t) {
                table(h, t);
            } else if (b instanceof ReportDocument.Figure f) {
                figure(h, f, figuresDir);
            }
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static void table(StringBuilder h, ReportDocument.Table t) {
        h.append("<table>\n<thead><tr>");
        for (ReportDocument.Column c : t.columns()) {
            h.append(c.numeric() ? "<th class=\"num\">" : "<th>").append(inline(c.name())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String verdict = verdictClass(cell);
                String cls = verdict != null ? verdict : i < t.columns().size() && t.columns().get(i).numeric() ? "num" : null;
                h.append(cls == null ? "<td>" : "<td class=\"" + cls + "\">").append(inline(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** The CSS class of a cell that is a claim's verdict, else null. */
    private static String verdictClass(String cell) {
        String plain = cell.startsWith("**") && cell.endsWith("**") && cell.length() > 4 ? cell.substring(2, cell.length() - 2) : cell;
        return plain.equals(PaperClaims.HOLDS) ? "holds" : plain.equals(PaperClaims.FAILS) ? "fails" : null;
    }

    private static void figure(StringBuilder h, ReportDocument.Figure f, Path figuresDir) throws IOException {
        Path png = figuresDir.resolve(f.file());
        if (!Files.isRegularFile(png)) {
            h.append("<p class=\"missing\">figures/").append(Html.escape(f.file())).append(" is missing.</p>\n");
            return;
        }
        h.append("<figure><img alt=\"").append(Html.escape(f.alt())).append("\" src=\"")
                .append(Html.pngDataUri(Files.readAllBytes(png))).append("\"/><figcaption>")
                .append(Html.escape(f.alt())).append(" (figures/").append(Html.escape(f.file())).append(")</figcaption></figure>\n");
    }

    /** Escapes {@code text}, then turns its inline marks into elements. */
    static String inline(String text) {
        Matcher m = INLINE.matcher(Html.escape(text));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group(1) != null) {
                rep = "<code>" + m.group(1) + "</code>";
            } else if (m.group(2) != null) {
                rep = "<strong>" + m.group(2) + "</strong>";
            } else {
                rep = "<a href=\"" + m.group(4) + "\">" + m.group(3) + "</a>";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(rep));
        }
        m.appendTail(out);
        return out.toString();
    }
}
