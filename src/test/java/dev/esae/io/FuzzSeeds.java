package dev.esae.io;

import dev.esae.base.ActivationsInfo;
import dev.esae.base.Architecture;
import dev.esae.base.BaseModelConfig;
import dev.esae.compute.Backend;
import dev.esae.data.DatasetInfo;
import dev.esae.data.Orientations;
import dev.esae.data.ShapeCatalog;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.TransformFiles;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.equivariance.TransformScore;
import dev.esae.report.StudyAtlas;
import dev.esae.report.StudySettings;
import dev.esae.sae.SaeConfig;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import dev.esae.sae.SaeScores;
import dev.esae.sae.TopKSae;
import dev.esae.testutil.TestBackends;
import dev.esae.train.Provenance;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed inputs of the parser fuzz tests: small valid files from esae's own writers (and
 * a few cut short), under {@code <resources>/dev/esae/io/<Test>Inputs/<method>/seed-*}, and, as
 * {@code review-*}, the inputs of the bugs found by reading the parsers rather than by fuzzing. Run
 * it again when a format changes ({@code scripts/fuzz.sh --seeds}); the fuzzers' findings
 * ({@code crash-*}) beside them are kept.
 */
public final class FuzzSeeds {
    private static final Provenance PROVENANCE = new Provenance("0.1.0", "abc", "cpu (OpenBLAS 0.3, 1 thread)", "a CPU", 1, "java 17",
            "Linux", 7, Map.of("acts.npy", "00ff"));

    private final Path resources;
    private final Path scratch;

    private FuzzSeeds(Path resources) throws IOException {
        this.resources = resources;
        this.scratch = Files.createTempDirectory("esae-seeds");
    }

    /** {@code args[0]}: the test resources folder ({@code src/test/resources}). */
    public static void main(String[] args) throws IOException {
        FuzzSeeds s = new FuzzSeeds(Path.of(args.length > 0 ? args[0] : "src/test/resources"));
        s.npy();
        s.safetensors();
        s.json();
        s.saeFolders();
        s.folders();
        s.reviewed();
        System.exit(0);
    }

    private void seed(String test, String method, String name, byte[] bytes) throws IOException {
        write(test, method, "seed-" + name, bytes);
    }

    private void write(String test, String method, String file, byte[] bytes) throws IOException {
        Path dir = resources.resolve("dev/esae/io").resolve(test + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(file), bytes);
    }

    /** A .npy file with a hand-written header dict and {@code dataBytes} zero bytes of data. */
    private static byte[] npyWithHeader(String dict, int dataBytes) {
        byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + d.length + 1 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) (d.length + 1)).put(d).put((byte) '\n');
        return b.array();
    }

    /** A safetensors file with a hand-written header and {@code dataBytes} zero bytes of data. */
    private static byte[] safetensorsWithHeader(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    /** The inputs of the bugs found by review (each has a unit test too; docs/RELIABILITY.md lists them). */
    private void reviewed() throws IOException {
        write("NpyFuzzTest", "readNpy", "review-shape-bytes-wrap-to-0",
                npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824, 1073741824, 2), }", 0));
        write("NpyFuzzTest", "readNpy", "review-header-longer-than-file",
                new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 16, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', '\n'});
        write("SafeTensorsFuzzTest", "readSafeTensors", "review-shape-bytes-wrap-to-0",
                safetensorsWithHeader("{\"x\":{\"dtype\":\"F64\",\"shape\":[1073741824,1073741824,2],\"data_offsets\":[0,0]}}", 0));
        write("SafeTensorsFuzzTest", "readSafeTensors", "review-overlapping-tensors",
                safetensorsWithHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 16));
        List<byte[]> topk = FuzzFiles.split(saeFolder(SaeKind.TOPK, 2, 4, 1, false), 2);
        String cfg = new String(topk.get(0), StandardCharsets.UTF_8).replace("\"d_in\": 2,", "\"d_in\": 200000000,");
        write("SaeFolderFuzzTest", "loadSae", "review-cfg-sizes-beyond-the-weights",
                FuzzFiles.join(cfg.getBytes(StandardCharsets.UTF_8), topk.get(1)));
        byte[] flat = npyBytes(HostArray.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
        write("FolderFuzzTest", "loadFolders", "review-negative-powers", withSelector(FolderFuzzTest.ACTIVATIONS,
                FuzzFiles.join(flat, npyBytes(HostArray.ofLongs(new long[] {-1, -1}, 2)))));
        write("FolderFuzzTest", "loadFolders", "review-acts-shape-bytes-wrap-to-0", withSelector(FolderFuzzTest.ACTIVATIONS,
                FuzzFiles.join(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1073741824, 1073741824, 4), }", 0),
                        new byte[0])));
        write("FolderFuzzTest", "loadFolders", "review-dataset-of-no-images", withSelector(FolderFuzzTest.DATASET,
                FuzzFiles.join(new byte[0], npyBytes(HostArray.ofInts(new int[0], 0, 4, 2)),
                        npyBytes(HostArray.ofUnsignedBytes(new byte[0], 0, 64, 64)))));
    }

    private byte[] npyBytes(HostArray a) throws IOException {
        Path f = scratch.resolve("a.npy");
        Npy.write(f, a);
        return Files.readAllBytes(f);
    }

    private byte[] safetensorsBytes(Map<String, HostArray> tensors, Map<String, String> metadata) throws IOException {
        Path f = scratch.resolve("t.safetensors");
        SafeTensors.write(f, tensors, metadata);
        return Files.readAllBytes(f);
    }

    /** The same file without esae's SHA-256 entries (as other tools write it), so that mutated tensor bytes still load. */
    static byte[] withoutDigests(byte[] file) {
        long len = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, Object> header = Json.parseObject(new String(file, 8, (int) len, StandardCharsets.UTF_8));
        Object meta = header.get("__metadata__");
        if (meta instanceof Map<?, ?> m) {
            m.keySet().removeIf(k -> String.valueOf(k).startsWith(SafeTensors.DIGEST));
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + file.length - 8 - (int) len).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(file, 8 + (int) len, file.length - 8 - (int) len);
        return out.array();
    }

    private void npy() throws IOException {
        String t = "NpyFuzzTest";
        String m = "readNpy";
        byte[] f32 = npyBytes(HostArray.ofFloats(new float[] {1.5f, -2f, 0f, Float.NaN, 3f, 0.25f}, 2, 3));
        seed(t, m, "float32-2x3", f32);
        seed(t, m, "float64-3", npyBytes(HostArray.ofDoubles(new double[] {Math.PI, -1e-300, 7}, 3)));
        seed(t, m, "int32-1x4x2", npyBytes(HostArray.ofInts(new int[] {0, 0, 1, 0, 2, 1, 7, 3}, 1, 4, 2)));
        seed(t, m, "int64-4", npyBytes(HostArray.ofLongs(new long[] {0, 1, 0, 1}, 4)));
        seed(t, m, "uint8-2x2x2", npyBytes(HostArray.ofUnsignedBytes(new byte[] {0, 1, 2, 3, 4, 5, 6, (byte) 255}, 2, 2, 2)));
        seed(t, m, "float32-scalar", npyBytes(HostArray.ofFloats(new float[] {1f})));
        seed(t, m, "float32-empty", npyBytes(HostArray.ofFloats(new float[0], 0, 4)));
        seed(t, m, "float32-2x3-v2", version2(f32));
        seed(t, m, "cut-in-header", Arrays.copyOf(f32, 40));
        seed(t, m, "cut-in-data", Arrays.copyOf(f32, f32.length - 5));
    }

    /** A version 1.0 file rewritten as 2.0 (a 4-byte header length), as numpy writes long headers. */
    private static byte[] version2(byte[] v1) {
        int headerLen = (v1[8] & 0xff) | (v1[9] & 0xff) << 8;
        ByteBuffer out = ByteBuffer.allocate(v1.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        out.put(v1, 0, 6).put((byte) 2).put((byte) 0).putInt(headerLen).put(v1, 10, v1.length - 10);
        return out.array();
    }

    private void safetensors() throws IOException {
        String t = "SafeTensorsFuzzTest";
        String m = "readSafeTensors";
        Map<String, HostArray> all = new LinkedHashMap<>();
        all.put("W_enc", HostArray.ofFloats(new float[] {1.5f, -2f, 0.25f, 3f, Float.NaN, -0f}, 2, 3));
        all.put("b", HostArray.ofDoubles(new double[] {Math.PI, -1e-300, 7}, 3));
        all.put("idx", HostArray.ofInts(new int[] {-1, 0, Integer.MAX_VALUE}, 3));
        all.put("steps", HostArray.ofLongs(new long[] {Long.MAX_VALUE}, 1));
        all.put("mask", HostArray.ofUnsignedBytes(new byte[] {0, (byte) 255, 7}, 3, 1));
        byte[] every = safetensorsBytes(all, Map.of("format", "pt", "group_order", "4"));
        seed(t, m, "every-dtype", every);
        seed(t, m, "every-dtype-no-digests", withoutDigests(every));
        seed(t, m, "one-tensor-no-digests", withoutDigests(safetensorsBytes(Map.of("M", HostArray.ofFloats(new float[] {1, 0, 0, 1}, 2, 2)),
                Map.of())));
        seed(t, m, "metadata-only", safetensorsBytes(Map.of(), Map.of("config", "{\"epochs\":3,\"lr\":0.001}")));
        seed(t, m, "cut-in-data", Arrays.copyOf(every, every.length - 3));
    }

    private void json() throws IOException {
        String t = "JsonFuzzTest";
        String m = "readConfigs";
        SaeConfig sae = SaeConfig.of(SaeKind.EQUIVARIANT, 2, 16, 1, 4,
                new SaeConfig.Training(2, 8, 1e-3f, 1, 40, 0, 0.03125f, "acts.npy", "upright", "m (M)"), "0.1.0")
                .trained("cpu", 2, 0.5, PROVENANCE);
        seed(t, m, "sae-cfg.json", Json.pretty(sae).getBytes(StandardCharsets.UTF_8));
        seed(t, m, "base-config.json", Json.pretty(new BaseModelConfig(Architecture.CNN, 3, 32, 1e-3f, 5, "data", 96, "upright")
                .toInfo(2, 0.25, PROVENANCE)).getBytes(StandardCharsets.UTF_8));
        seed(t, m, "dataset.json", Json.pretty(new DatasetInfo("shapes", "random", 10, 3L, 9, "0.1.0", PROVENANCE, null, null, null))
                .getBytes(StandardCharsets.UTF_8));
        seed(t, m, "acts.npy.json", Json.pretty(new ActivationsInfo("model", "mlp", "data", "upright", List.of(10, 4, 256), PROVENANCE))
                .getBytes(StandardCharsets.UTF_8));
        TransformScore score = new TransformScore(List.of(0.9, 0.8, 0.7), 0.8, 0.08, 0.01, 0);
        seed(t, m, "r2-adam.json", Json.pretty(new TransformFitReport(10, 4, 8, "adam", "upright",
                TransformFitReport.SolverRun.adam(3, 16, 1e-3f), 0, List.of(1, 2, 3), score, score, score, 0.01, 0.2,
                new TransformFitReport.CycleFit(score, 0.5, 0.3, TransformFitReport.SolverRun.adam(3, 16, 1e-3f)),
                TransformFitReport.R2_CONVENTION, "0.1.0", PROVENANCE)).getBytes(StandardCharsets.UTF_8));
        seed(t, m, "r2-lbfgs.json", Json.pretty(new TransformFitReport(10, 4, 8, "lbfgs", "upright",
                TransformFitReport.SolverRun.lbfgs(50, 12, 14, 100, "converged", 1.5), 0, List.of(1, 2, 3), score, score, score, 0.01, 0.2,
                null, TransformFitReport.R2_CONVENTION, "0.1.0", PROVENANCE)).getBytes(StandardCharsets.UTF_8));
        seed(t, m, "metrics.json", Json.pretty(new SaeScores(0.1, 0.2, 4, 1.5, 0.25, 32, 160, "the input row",
                new SaeScores.UnknownP(0.9, 0.11, 0.21), 0.3, 2, PROVENANCE)).getBytes(StandardCharsets.UTF_8));
        seed(t, m, "study.json", Json.pretty(new StudySettings("tiny", "shapes", "upright", 1, 64, 32, 1, List.of("adam", "lbfgs"), 2, 20, 1,
                List.of(4, 8), List.of(4), List.of(1, 2), List.of("knn", "logistic"), 64)).getBytes(StandardCharsets.UTF_8));
        seed(t, m, "timings.json", Json.pretty(Map.of("dataset", 1.5, "train-base mlp", 20.25)).getBytes(StandardCharsets.UTF_8));
        Map<String, StudyAtlas.Section> atlas = new LinkedHashMap<>();
        atlas.put("mlp topk", new StudyAtlas.Section(4, 2, 1,
                List.of(new StudyAtlas.Entry(0, 12, "invariant", List.of(0.5, 0.25), 1, 0.75))));
        seed(t, m, "atlas.json", Json.pretty(atlas).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] saeFolder(SaeKind kind, int d, int latents, int k, boolean digests) throws IOException {
        Backend cpu = TestBackends.cpu();
        Path dir = Files.createDirectories(scratch.resolve("sae-" + kind.id()));
        float[] m = null;
        if (kind.needsTransform()) {
            m = new float[d * d];
            for (int i = 0; i < d; i++) {
                m[i * d + (i + 1) % d] = 1f;
            }
        }
        try (TopKSae sae = new TopKSae(cpu, d, latents, k, kind.hidden(), 3)) {
            SaeFiles.save(dir, cpu, sae.namedParameters(), d, m, SaeConfig.of(kind, d, latents, k, 4,
                    new SaeConfig.Training(1, 8, 1e-3f, 1, 10, 0, 0f, "acts.npy", "upright", m == null ? null : "m (M)"), "0.1.0")
                    .trained("cpu", 1, 0.5, PROVENANCE));
        }
        byte[] weights = Files.readAllBytes(dir.resolve(SaeFiles.WEIGHTS));
        return FuzzFiles.join(Files.readAllBytes(dir.resolve(SaeFiles.CONFIG)), digests ? weights : withoutDigests(weights));
    }

    private void saeFolders() throws IOException {
        String t = "SaeFolderFuzzTest";
        String m = "loadSae";
        byte[] topk = saeFolder(SaeKind.TOPK, 2, 4, 1, true);
        seed(t, m, "topk", topk);
        seed(t, m, "topk-no-digests", saeFolder(SaeKind.TOPK, 2, 4, 1, false));
        seed(t, m, "twolayer-no-digests", saeFolder(SaeKind.TWOLAYER, 2, 4, 2, false));
        seed(t, m, "equivariant-no-digests", saeFolder(SaeKind.EQUIVARIANT, 2, 4, 2, false));
        List<byte[]> parts = FuzzFiles.split(topk, 2);
        seed(t, m, "cfg-only", FuzzFiles.join(parts.get(0), new byte[0]));
        seed(t, m, "weights-cut", FuzzFiles.join(parts.get(0), Arrays.copyOf(parts.get(1), parts.get(1).length - 4)));
    }

    private void folders() throws IOException {
        String t = "FolderFuzzTest";
        String m = "loadFolders";
        ShapeCatalog catalog = ShapeCatalog.draw();
        for (Orientations o : Orientations.values()) {
            ShapesDataset data = ShapesDataset.generate(1, 5, catalog, o);
            byte[] info = Json.pretty(new DatasetInfo("shapes", o.id(), 1, 5L, 1, "0.1.0", PROVENANCE, null, null, null)).getBytes(StandardCharsets.UTF_8);
            seed(t, m, "dataset-" + o.id(), withSelector(FolderFuzzTest.DATASET,
                    FuzzFiles.join(info, npyBytes(data.labelsArray()), npyBytes(data.imagesArray()))));
        }
        Path transform = Files.createDirectories(scratch.resolve("transform"));
        float[] rot = {0, -1, 1, 0};
        TransformFiles.write(transform, rot, rot, 4, 2);
        byte[] mFile = Files.readAllBytes(transform.resolve(TransformFiles.WEIGHTS));
        seed(t, m, "transform", withSelector(FolderFuzzTest.TRANSFORM, mFile));
        seed(t, m, "transform-no-digests", withSelector(FolderFuzzTest.TRANSFORM, withoutDigests(mFile)));
        float[] acts = {1, 2, -2, 1, 0.5f, 0, 0, 0.5f};
        seed(t, m, "acts-3d", withSelector(FolderFuzzTest.ACTIVATIONS, FuzzFiles.join(npyBytes(HostArray.ofFloats(acts, 2, 2, 2)),
                new byte[0])));
        seed(t, m, "acts-flat-int64-powers", withSelector(FolderFuzzTest.ACTIVATIONS,
                FuzzFiles.join(npyBytes(HostArray.ofFloats(acts, 4, 2)), npyBytes(HostArray.ofLongs(new long[] {0, 1, 0, 1}, 4)))));
        seed(t, m, "acts-flat-int32-powers", withSelector(FolderFuzzTest.ACTIVATIONS,
                FuzzFiles.join(npyBytes(HostArray.ofFloats(acts, 4, 2)), npyBytes(HostArray.ofInts(new int[] {0, 1, 0, 1}, 4)))));
    }

    private static byte[] withSelector(int selector, byte[] rest) {
        byte[] out = new byte[rest.length + 1];
        out[0] = (byte) selector;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
