package dev.esae.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.esae.BuildInfo;
import dev.esae.base.Autoencoder;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.ContactSheet;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.ActivationSet;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.io.Png;
import dev.esae.probe.ProbeSet;
import dev.esae.probe.TaskTable;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study's feature atlas: for each base model, the most frequent features of its equivariant SAE
 * on the probe set ({@link FeatureAtlas}), written as {@code atlas.html}, {@code atlas.json}
 * (a {@link Section} per model) and one picture of decoded features per model.
 */
public final class StudyAtlas {
    private StudyAtlas() {}

    /** One feature as atlas.json lists it. */
    public record Entry(int latent, int fires, @JsonProperty("class") String featureClass, List<Double> cosines, int mapsTo,
            Double mapsToCosine) {}

    /**
     * One model's part of atlas.json.
     *
     * @param k the K of the equivariant SAE shown
     * @param features how many features are shown
     * @param invariant how many of them are invariant
     */
    public record Section(int k, int features, int invariant, List<Entry> list) {}

    /** Whether the atlas of {@code layout} is complete (an atlas.html that ends, and a section per model). */
    public static boolean done(StudyLayout layout) throws IOException {
        if (!Files.isRegularFile(layout.atlas()) || !Files.readString(layout.atlas()).strip().endsWith("</html>")
                || !Files.isRegularFile(layout.atlasJson())) {
            return false;
        }
        return read(layout).keySet().containsAll(StudyLayout.ARCHS);
    }

    /** atlas.json: the sections by model. */
    public static Map<String, Section> read(StudyLayout layout) {
        return Json.readMap(layout.atlasJson(), Section.class, "a feature atlas");
    }

    /**
     * The probe set the atlas reads its inputs and powers from: the shapes' (their labels) or, for a
     * folder without shape labels (Fashion-MNIST), its tasks CSV's. Both draw the same powers from the seed.
     */
    private static ProbeSet probeSet(StudyLayout layout, ActivationSet acts, ShapesDataset probeImages, long seed) {
        Path tasks = layout.probeData().resolve(DatasetFiles.TASKS);
        return probeImages.hasShapeLabels() ? ProbeSet.of(acts, probeImages.labelsArray().toInts(), seed)
                : ProbeSet.of(acts, TaskTable.read(tasks), seed);
    }

    /** Computes and writes the atlas of the equivariant SAEs with K = {@code k}, {@code limit} features per model. */
    public static void write(Backend backend, StudyLayout layout, int k, int limit, long seed) throws IOException {
        Map<String, List<FeatureAtlas.Feature>> sections = new LinkedHashMap<>();
        Map<String, Section> json = new LinkedHashMap<>();
        ShapesDataset probeImages = DatasetFiles.read(layout.probeData());
        for (String arch : StudyLayout.ARCHS) {
            ActivationSet acts = ActivationSet.read(layout.probeActs(arch), null);
            ProbeSet set = probeSet(layout, acts, probeImages, seed);
            List<FeatureAtlas.Feature> features;
            try (Autoencoder model = ModelFiles.load(backend, layout.model(arch));
                 SaeFiles.Loaded sae = SaeFiles.load(backend, layout.sae(arch, SaeKind.EQUIVARIANT, k))) {
                features = FeatureAtlas.compute(backend, model, sae, set, probeImages, limit);
            }
            sections.put(arch.toUpperCase(Locale.ROOT) + " autoencoder, equivariant SAE, K = " + k, features);
            List<Entry> list = new ArrayList<>();
            List<byte[]> tiles = new ArrayList<>();
            for (FeatureAtlas.Feature f : features) {
                list.add(new Entry(f.latent(), f.fires(), f.invariant() ? "invariant" : "equivariant", Arrays.stream(f.cosines()).boxed().toList(),
                        f.mapsTo(), Double.isFinite(f.mapsToCosine()) ? f.mapsToCosine() : null));
                if (tiles.size() < 8 * f.decoded().size()) {
                    tiles.addAll(f.decoded());
                }
            }
            json.put(arch, new Section(k, features.size(), (int) features.stream().filter(FeatureAtlas.Feature::invariant).count(), list));
            if (!tiles.isEmpty()) {
                Files.createDirectories(layout.figures());
                // One row per feature: its decoded image at p = 0..n-1.
                ContactSheet sheet = ContactSheet.of(tiles, 64, features.get(0).decoded().size(), 2, 4);
                Png.writeGray(layout.figures().resolve("features-" + arch + ".png"), sheet.pixels(), sheet.width(), sheet.height());
            }
        }
        AtomicFiles.writeString(layout.atlasJson(), Json.pretty(json));
        AtomicFiles.writeString(layout.atlas(), AtlasHtml.render("esae feature atlas (" + BuildInfo.version() + ")", sections));
    }
}
