package dev.esae.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.io.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** report.html from hand-made blocks: escaped text, inline marks, verdict styling, inline figures; and report.md from the same blocks. */
class ReportHtmlTest {
    @TempDir
    Path dir;

    private ReportDocument document() throws IOException {
        byte[] pixels = new byte[8 * 8];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (4 * i);
        }
        Png.writeGray(dir.resolve("chart.png"), pixels, 8, 8);
        Map<String, PaperClaims.Claim> claims = PaperClaims.evaluate(Map.of("mlp", new PaperClaims.ModelOutputs(Map.of("adam", 0.99), 0.1,
                List.of(), List.of())));
        List<ReportDocument.Block> blocks = new ArrayList<>(PaperClaims.section(claims));
        blocks.add(new ReportDocument.Heading(3, "M: R² of `M^p ψ(x)` <b>"));
        blocks.add(new ReportDocument.Text(List.of("Canonical images: **upright** & \"quoted\" <script>alert(1)</script>", "second line")));
        blocks.add(new ReportDocument.Table(List.of(ReportDocument.Column.text("kind"), ReportDocument.Column.number("K")),
                List.of(List.of("a<b", "8"), List.of("wide & deep", "16"), List.of("", "32"))));
        blocks.add(new ReportDocument.Figure("a chart", "chart.png"));
        blocks.add(new ReportDocument.Figure("gone", "missing.png"));
        blocks.add(ReportDocument.Text.of("The feature atlas: [atlas.html](atlas.html)."));
        return new ReportDocument("esae study report <&>", blocks);
    }

    @Test
    void thePageIsWellFormedSelfContainedAndEscapesEveryText() throws IOException {
        String html = ReportHtml.render(document(), dir);
        Document doc = ReportHtmlCheck.assertSelfContained(html);
        assertEquals(1, doc.getElementsByTagName("img").getLength(), "the one figure present, inline");
        assertTrue(html.contains("<title>esae study report &lt;&amp;&gt;</title>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script"), "text is escaped");
        assertTrue(html.contains("&amp; &quot;quoted&quot;") && html.contains("<strong>upright</strong>"), html);
        assertTrue(html.contains("<h3>M: R² of <code>M^p ψ(x)</code> &lt;b&gt;</h3>"), html);
        assertTrue(html.contains("<td>a&lt;b</td><td class=\"num\">8</td>") && html.contains("<th class=\"num\">K</th>"), html);
        assertTrue(html.contains("<br/>\nsecond line"), "a paragraph keeps its lines");
        assertTrue(html.contains("figures/missing.png is missing."), "a missing figure is named");
        assertEquals(List.of("atlas.html", "atlas.html"), ReportHtmlCheck.hrefs(doc), "the navigation's link and the text's");

        List<List<String>> rows = ReportHtmlCheck.claimRows(doc);
        assertEquals(List.of("R1", "R2a", "R2b", "R3a", "R3b"), rows.stream().map(r -> r.get(0).split(":")[0]).toList());
        assertEquals(List.of(PaperClaims.HOLDS, "holds"), List.of(rows.get(0).get(1), rows.get(0).get(5)), "R1 holds, styled");
        assertEquals(List.of(PaperClaims.FAILS, "fails"), List.of(rows.get(1).get(1), rows.get(1).get(5)), "R2a does not, styled");
        assertTrue(html.contains("<td class=\"holds\">holds</td><td>–</td>"), "per-model verdicts styled too");
    }

    @Test
    void theMarkdownRendersTheSameBlocks() throws IOException {
        String md = ReportMarkdown.render(document());
        assertTrue(md.startsWith("# esae study report <&>\n\n## The paper's claims, checked on this run\n\n"), md);
        assertTrue(md.contains("| claim | verdict | MLP | CNN | numbers |\n| --- | --- | --- | --- | --- |\n| R1: "), md);
        assertTrue(md.contains("| kind | K |\n| --- | ---: |\n| a<b | 8 |\n| wide & deep | 16 |\n| | 32 |\n\n"), md);
        assertTrue(md.contains("Canonical images: **upright** & \"quoted\" <script>alert(1)</script>  \nsecond line\n\n"), md);
        assertTrue(md.contains("![a chart](figures/chart.png)\n\n") && md.endsWith("The feature atlas: [atlas.html](atlas.html).\n"), md);
        assertFalse(md.contains("data:image"), md);
    }
}
