package dev.esae.report;

import java.util.List;

/** {@code report.md}: a {@link ReportDocument} as Markdown (tables as pipe tables, figures linked under {@code figures/}). */
public final class ReportMarkdown {
    private ReportMarkdown() {}

    /** The whole page, its title as the top heading. */
    public static String render(ReportDocument doc) {
        return ("# " + doc.title() + "\n\n" + blocks(doc.blocks())).stripTrailing() + "\n";
    }

    /** Blocks without a title, e.g. one section. */
    public static String blocks(List<ReportDocument.Block> blocks) {
        StringBuilder md = new StringBuilder();
        for (ReportDocument.Block b : blocks) {
            if (b instanceof ReportDocument.Heading h) {
                md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof ReportDocument.Text t) {
                // Two trailing spaces: Markdown's hard line break, so each line stays a line.
                md.append(String.join("  \n", t.lines())).append("\n\n");
            } else if (b instanceof ReportDocument.Table t) {
                table(md, t);
            } else if (b instanceof ReportDocument.Figure f) {
                md.append("![").append(f.alt()).append("](figures/").append(f.file()).append(")\n\n");
            }
        }
        return md.toString();
    }

    private static void table(StringBuilder md, ReportDocument.Table t) {
        md.append('|');
        t.columns().forEach(c -> md.append(' ').append(c.name()).append(" |"));
        md.append("\n|");
        t.columns().forEach(c -> md.append(c.numeric() ? " ---: |" : " --- |"));
        md.append('\n');
        for (List<String> row : t.rows()) {
            md.append('|');
            row.forEach(cell -> md.append(cell.isEmpty() ? " |" : " " + cell + " |"));
            md.append('\n');
        }
        md.append('\n');
    }
}
