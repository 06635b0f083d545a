package dev.esae.report;

import dev.esae.io.Png;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code atlas.html}: one self-contained page (images inline as PNG data) with a section per base
 * model, a row per feature, and buttons that sort the rows by class, by how often the feature
 * fires, or by its smallest cosine.
 */
public final class AtlasHtml {
    private AtlasHtml() {}

    /** @param sections feature lists by title (e.g. "CNN, equivariant SAE, K = 16") */
    public static String render(String title, Map<String, List<FeatureAtlas.Feature>> sections) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-bottom:32px}")
                .append("th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:middle}")
                .append("img{width:64px;height:64px;image-rendering:pixelated;margin:1px;border:1px solid #bbb}")
                .append(".invariant{color:#0072b2;font-weight:bold}.equivariant{color:#d55e00;font-weight:bold}")
                .append("button{margin-right:6px}.note{color:#555;max-width:900px}</style>\n</head><body>\n<h1>")
                .append(Html.escape(title)).append("</h1>\n<p class=\"note\">Each row is one dictionary feature D<sub>i</sub> of the ")
                .append("equivariant SAE. <b>Decoded</b>: the base decoder applied to M<sup>p</sup>(b<sub>dec</sub> + a<sub>i</sub>D<sub>i</sub>) ")
                .append("minus the same without the feature, for p = 0..n&minus;1 (a<sub>i</sub>: the latent's mean value when it fires; ")
                .append("grey: no change, light: ink the feature adds, dark: ink it removes). <b>Class</b>: invariant when ")
                .append("cos(M<sup>p</sup>D<sub>i</sub>, D<sub>i</sub>) &ge; ").append(FeatureAtlas.INVARIANT_COSINE)
                .append(" for every p &ge; 1, else equivariant. <b>M maps to</b>: the live feature closest to M D<sub>i</sub>. ")
                .append("<b>Top inputs</b>: the probe images (as the model saw them) that activate the latent most.</p>\n")
                .append("<p><button onclick=\"sortAll('cls')\">sort by class</button><button onclick=\"sortAll('fires')\">sort by firing</button>")
                .append("<button onclick=\"sortAll('cos')\">sort by smallest cosine</button></p>\n");
        for (Map.Entry<String, List<FeatureAtlas.Feature>> e : sections.entrySet()) {
            List<FeatureAtlas.Feature> features = e.getValue();
            long invariant = features.stream().filter(FeatureAtlas.Feature::invariant).count();
            sb.append("<h2>").append(Html.escape(e.getKey())).append("</h2>\n<p>").append(features.size()).append(" most frequent features: ")
                    .append(invariant).append(" invariant, ").append(features.size() - invariant).append(" equivariant.</p>\n")
                    .append("<table class=\"atlas\"><thead><tr><th>feature</th><th>fires</th><th>class</th><th>cos(M<sup>p</sup>D, D), p = 1..</th>")
                    .append("<th>M maps to</th><th>decoded change, p = 0..n&minus;1</th><th>top inputs</th></tr></thead><tbody>\n");
            for (FeatureAtlas.Feature f : features) {
                double minCos = java.util.Arrays.stream(f.cosines()).min().orElse(Double.NaN);
                String cls = f.invariant() ? "invariant" : "equivariant";
                sb.append(String.format(Locale.ROOT, "<tr data-cls=\"%d\" data-fires=\"%d\" data-cos=\"%.6f\"><td>%d</td><td>%d</td>",
                        f.invariant() ? 0 : 1, f.fires(), minCos, f.latent(), f.fires()))
                        .append("<td class=\"").append(cls).append("\">").append(cls).append("</td><td>");
                for (int p = 0; p < f.cosines().length; p++) {
                    sb.append(String.format(Locale.ROOT, "%s%.3f", p == 0 ? "" : ", ", f.cosines()[p]));
                }
                sb.append("</td><td>").append(f.mapsTo() < 0 ? "&ndash;" : String.format(Locale.ROOT, "%d (cos %.3f)", f.mapsTo(),
                        f.mapsToCosine())).append("</td><td>");
                for (byte[] img : f.decoded()) {
                    sb.append(image(img));
                }
                sb.append("</td><td>");
                for (byte[] img : f.topInputs()) {
                    sb.append(image(img));
                }
                sb.append("</td></tr>\n");
            }
            sb.append("</tbody></table>\n");
        }
        sb.append("<script>\nfunction sortAll(key){for(const t of document.querySelectorAll('table.atlas')){const b=t.tBodies[0];")
                .append("const rows=[...b.rows];rows.sort((x,y)=>{const a=parseFloat(x.dataset[key]),c=parseFloat(y.dataset[key]);")
                .append("return key==='fires'?c-a:a-c;});rows.forEach(r=>b.appendChild(r));}}\n</script>\n</body></html>\n");
        return sb.toString();
    }

    private static String image(byte[] pixels) throws IOException {
        return "<img alt=\"\" src=\"" + Html.pngDataUri(Png.encodeGray(pixels, 64, 64)) + "\">";
    }

}
