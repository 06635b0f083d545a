package dev.esae.report;

import java.util.Base64;

/** What esae's two HTML pages (report.html, atlas.html) both need: escaped text and inline PNGs. */
final class Html {
    private Html() {}

    /** Text and attribute values, with the characters HTML (and XML) give a meaning to escaped. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** A PNG file's bytes as a {@code data:} URI, so the page fetches nothing. */
    static String pngDataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }
}
