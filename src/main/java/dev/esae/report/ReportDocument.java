package dev.esae.report;

import java.util.List;

/**
 * A study report's content as blocks, built once by {@link StudyReport} and rendered alike as
 * {@code report.md} ({@link ReportMarkdown}) and {@code report.html} ({@link ReportHtml}), so the two
 * files cannot disagree. Text may carry three inline marks, written as in Markdown:
 * {@code **bold**}, {@code `code`} and {@code [text](href)}.
 *
 * @param title the page's title (the Markdown's top heading)
 */
public record ReportDocument(String title, List<Block> blocks) {
    /** One block of the page. */
    public sealed interface Block permits Heading, Text, Table, Figure {}

    /** @param level 2 for a section, 3 for a subsection */
    public record Heading(int level, String text) implements Block {}

    /** A paragraph; its lines are kept apart (a Markdown hard break, an HTML line break). */
    public record Text(List<String> lines) implements Block {
        /** A paragraph of one line. */
        public static Text of(String line) {
            return new Text(List.of(line));
        }
    }

    /**
     * A table; every row has a cell per column. A cell that is a verdict ({@link PaperClaims#HOLDS},
     * {@link PaperClaims#FAILS}, bold or not) is styled as one in HTML.
     */
    public record Table(List<Column> columns, List<List<String>> rows) implements Block {}

    /** @param numeric right-aligned */
    public record Column(String name, boolean numeric) {
        public static Column text(String name) {
            return new Column(name, false);
        }

        public static Column number(String name) {
            return new Column(name, true);
        }
    }

    /** @param file a PNG's name under the study's {@code figures/} */
    public record Figure(String alt, String file) implements Block {}
}
