package dev.esae.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** What every report.html must be, for the unit test and the tiny study's: well-formed, self-contained, every image inline and decodable. */
public final class ReportHtmlCheck {
    private ReportHtmlCheck() {}

    /** Parses {@code html} as XML (the page is XHTML-compatible), fails the test when it is not well-formed. */
    public static Document parse(String html) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Nothing outside the page may be read, not even a DTD.
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
        } catch (Exception e) {
            throw new AssertionError("report.html is not well-formed: " + e.getMessage(), e);
        }
    }

    /** Checks {@code html} and returns its parsed tree: an HTML5 doctype, no URL, script or external stylesheet, every img an inline PNG. */
    public static Document assertSelfContained(String html) throws IOException {
        assertTrue(html.startsWith("<!DOCTYPE html>\n"), "HTML5 doctype");
        assertTrue(html.strip().endsWith("</html>"), "the page ends");
        assertFalse(html.contains("http://") || html.contains("https://"), "no URL: the page fetches nothing");
        assertFalse(html.contains("src=\"figures/"), "figures are inline");
        Document doc = parse(html);
        assertEquals("html", doc.getDocumentElement().getTagName());
        for (String tag : List.of("script", "link", "iframe", "object")) {
            assertEquals(0, doc.getElementsByTagName(tag).getLength(), "no <" + tag + ">");
        }
        NodeList imgs = doc.getElementsByTagName("img");
        for (int i = 0; i < imgs.getLength(); i++) {
            String src = ((Element) imgs.item(i)).getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"), "inline PNG: " + src.substring(0, Math.min(40, src.length())));
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            assertTrue(ImageIO.read(new ByteArrayInputStream(png)).getWidth() > 0, "image " + i + " decodes");
        }
        assertTrue(hrefs(doc).contains("atlas.html"), "links the atlas");
        return doc;
    }

    /** Every link target of the page. */
    public static List<String> hrefs(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList as = doc.getElementsByTagName("a");
        for (int i = 0; i < as.getLength(); i++) {
            out.add(((Element) as.item(i)).getAttribute("href"));
        }
        return out;
    }

    /** The claims table's rows (the first table): each row's cells as text, and the class of its verdict cell. */
    public static List<List<String>> claimRows(Document doc) {
        Element table = (Element) doc.getElementsByTagName("table").item(0);
        NodeList trs = ((Element) table.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < trs.getLength(); i++) {
            NodeList tds = ((Element) trs.item(i)).getElementsByTagName("td");
            List<String> cells = new ArrayList<>();
            for (int j = 0; j < tds.getLength(); j++) {
                cells.add(tds.item(j).getTextContent());
            }
            cells.add(((Element) tds.item(1)).getAttribute("class"));
            rows.add(cells);
        }
        return rows;
    }
}
