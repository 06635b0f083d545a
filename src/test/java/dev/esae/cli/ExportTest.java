package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.Npy;
import dev.esae.io.SafeTensors;
import dev.esae.sae.SaeFiles;
import dev.esae.testutil.Python;
import dev.esae.testutil.TestBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code esae export}: the SAELens and sparsify layouts key by key and tensor by tensor, those
 * libraries' own forward (written out in torch, as their source computes it) on the exported files
 * against esae's reconstructions, and the refusals.
 */
class ExportTest {
    private static final int D = 16;

    @TempDir
    static Path root;

    @BeforeAll
    static void trainSaes() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = new float[50 * 4 * D];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextGaussian() + (i % D == 1 ? 2 : 0));
        }
        Npy.write(root.resolve("acts.npy"), HostArray.ofFloats(a, 50, 4, D));
        for (String kind : List.of("topk", "wide", "twolayer")) {
            CliTest.Run r = CliTest.esae("train-sae", "--kind", kind, "--k", "5", "--acts", p("acts.npy"), "--epochs", "2", "--out", p(kind));
            assertEquals(0, r.code(), r.err());
        }
    }

    private static String p(String name) {
        return root.resolve(name).toString();
    }

    private static CliTest.Run export(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "export";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliTest.esae(all);
    }

    private static Map<String, Object> cfg(String dir) throws IOException {
        return Json.parseObject(Files.readString(root.resolve(dir).resolve("cfg.json")));
    }

    @Test
    void saeLensLayoutHasExactlyTheTopKConfigAndTheFourTensors() throws IOException {
        for (String kind : List.of("topk", "wide")) {
            String out = "saelens-" + kind;
            CliTest.Run r = export("--sae", p(kind), "--format", "saelens", "--out", p(out));
            assertEquals(0, r.code(), r.err());
            Map<String, Object> c = cfg(out);
            assertEquals(List.of("architecture", "d_in", "d_sae", "k", "dtype", "device", "apply_b_dec_to_input", "normalize_activations",
                    "reshape_activations", "rescale_acts_by_decoder_norm", "metadata"), List.copyOf(c.keySet()));
            int latents = kind.equals("topk") ? 8 * D : 4 * 8 * D;
            assertEquals("topk", c.get("architecture"));
            assertEquals((long) D, c.get("d_in"));
            assertEquals((long) latents, c.get("d_sae"));
            assertEquals(5L, c.get("k"));
            assertEquals("float32", c.get("dtype"));
            assertEquals("cpu", c.get("device"));
            assertEquals(true, c.get("apply_b_dec_to_input"));
            assertEquals("none", c.get("normalize_activations"));
            assertEquals("none", c.get("reshape_activations"));
            assertEquals(false, c.get("rescale_acts_by_decoder_norm"));
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) c.get("metadata");
            assertEquals("6.18.0", meta.get("sae_lens_version"));
            assertEquals(kind, meta.get("esae_kind"));
            assertEquals(cfg(kind).get("provenance"), meta.get("provenance"));
            assertTrue(meta.get("provenance") instanceof Map<?, ?>, "esae's provenance is carried over");

            SafeTensors.Contents src = SafeTensors.read(root.resolve(kind).resolve(SaeFiles.WEIGHTS));
            SafeTensors.Contents got = SafeTensors.read(root.resolve(out).resolve("sae_weights.safetensors"));
            assertEquals(List.of("W_enc", "b_enc", "W_dec", "b_dec"), List.copyOf(got.tensors().keySet()));
            assertArrayEquals(new int[] {D, latents}, got.tensors().get("W_enc").shape());
            assertArrayEquals(new int[] {latents}, got.tensors().get("b_enc").shape());
            assertArrayEquals(new int[] {latents, D}, got.tensors().get("W_dec").shape());
            assertArrayEquals(new int[] {D}, got.tensors().get("b_dec").shape());
            for (String name : got.tensors().keySet()) {
                assertEquals(ElementType.FLOAT32, got.tensors().get(name).dtype());
                // esae already saves W_enc as [d_in, d_sae] (its [L, d] in memory transposed): SAELens's layout, as is.
                assertArrayEquals(src.tensors().get(name).toFloats(), got.tensors().get(name).toFloats(), name);
            }
        }
    }

    @Test
    void sparsifyLayoutHasItsConfigAndTheEncoderAsAnNnLinear() throws IOException {
        for (String kind : List.of("topk", "wide")) {
            String out = "sparsify-" + kind;
            CliTest.Run r = export("--sae", p(kind), "--format", "sparsify", "--out", p(out));
            assertEquals(0, r.code(), r.err());
            Map<String, Object> c = cfg(out);
            int latents = kind.equals("topk") ? 8 * D : 4 * 8 * D;
            assertEquals(List.of("activation", "expansion_factor", "normalize_decoder", "num_latents", "k", "multi_topk", "skip_connection",
                    "transcode", "d_in"), List.copyOf(c.keySet()));
            assertEquals("topk", c.get("activation"));
            assertEquals((long) latents / D, c.get("expansion_factor"));
            assertEquals(true, c.get("normalize_decoder"));
            assertEquals((long) latents, c.get("num_latents"));
            assertEquals(5L, c.get("k"));
            assertEquals(false, c.get("multi_topk"));
            assertEquals(false, c.get("skip_connection"));
            assertEquals(false, c.get("transcode"));
            assertEquals((long) D, c.get("d_in"));

            SafeTensors.Contents src = SafeTensors.read(root.resolve(kind).resolve(SaeFiles.WEIGHTS));
            SafeTensors.Contents got = SafeTensors.read(root.resolve(out).resolve("sae.safetensors"));
            assertEquals(List.of("encoder.weight", "encoder.bias", "W_dec", "b_dec"), List.copyOf(got.tensors().keySet()));
            assertArrayEquals(new int[] {latents, D}, got.tensors().get("encoder.weight").shape());
            assertArrayEquals(new int[] {latents}, got.tensors().get("encoder.bias").shape());
            assertArrayEquals(new int[] {latents, D}, got.tensors().get("W_dec").shape());
            assertArrayEquals(new int[] {D}, got.tensors().get("b_dec").shape());
            float[] wEnc = src.tensors().get("W_enc").toFloats();
            float[] enc = got.tensors().get("encoder.weight").toFloats();
            for (int i = 0; i < latents; i++) {
                for (int j = 0; j < D; j++) {
                    assertEquals(wEnc[j * latents + i], enc[i * D + j], "encoder.weight is W_enc transposed");
                }
            }
            assertArrayEquals(src.tensors().get("b_enc").toFloats(), got.tensors().get("encoder.bias").toFloats());
            assertArrayEquals(src.tensors().get("W_dec").toFloats(), got.tensors().get("W_dec").toFloats());
            assertArrayEquals(src.tensors().get("b_dec").toFloats(), got.tensors().get("b_dec").toFloats());
            assertFalse(Files.exists(root.resolve(out).resolve("sae_weights.safetensors")));
        }
    }

    @Test
    void saeLensAndSparsifyForwardsOnTheExportsGiveEsaesReconstructions() throws IOException {
        Python.assumeTorch();
        Backend cpu = TestBackends.cpu();
        for (String kind : List.of("topk", "wide")) {
            assertEquals(0, export("--sae", p(kind), "--format", "saelens", "--out", p("fwd-saelens-" + kind), "--overwrite").code());
            assertEquals(0, export("--sae", p(kind), "--format", "sparsify", "--out", p("fwd-sparsify-" + kind), "--overwrite").code());
            HostArray acts = Npy.read(root.resolve("acts.npy"));
            int rows = acts.dim(0) * acts.dim(1);
            try (SaeFiles.Loaded l = SaeFiles.load(cpu, root.resolve(kind)); Tensor x = cpu.upload(acts.toFloats(), rows, D)) {
                Npy.write(root.resolve("ours-" + kind + ".npy"), HostArray.ofFloats(cpu.download(l.sae().forward(x)), rows, D));
            }
            String out = Python.checkWith(Python.TORCH_PYTHON, String.join("\n",
                    "import json, sys, numpy as np, torch",
                    "sys.path.insert(0, '" + Path.of("python").toAbsolutePath() + "')",
                    "from esae_sae import read_safetensors",
                    "x = torch.from_numpy(np.load('" + p("acts.npy") + "')).reshape(-1, " + D + ")",
                    "ours = torch.from_numpy(np.load('" + p("ours-" + kind + ".npy") + "'))",
                    // SAELens 6 TopKSAE: process_sae_in subtracts b_dec (apply_b_dec_to_input), TopK keeps the k largest, then ReLU.
                    "cfg = json.load(open('" + p("fwd-saelens-" + kind) + "/cfg.json'))",
                    "w = read_safetensors('" + p("fwd-saelens-" + kind) + "/sae_weights.safetensors')",
                    "assert sorted(w) == ['W_dec', 'W_enc', 'b_dec', 'b_enc']",
                    "pre = (x - w['b_dec'] * cfg['apply_b_dec_to_input']) @ w['W_enc'] + w['b_enc']",
                    "v, i = torch.topk(pre, k=cfg['k'], dim=-1, sorted=False)",
                    "z = torch.zeros_like(pre).scatter_(-1, i, v.relu())",
                    "lens = z @ w['W_dec'] + w['b_dec']",
                    // sparsify SparseCoder: encode subtracts b_dec, ReLU(Linear) first, then top-k; decode by embedding_bag over W_dec rows.
                    "cfg = json.load(open('" + p("fwd-sparsify-" + kind) + "/cfg.json'))",
                    "w = read_safetensors('" + p("fwd-sparsify-" + kind) + "/sae.safetensors')",
                    "assert sorted(w) == ['W_dec', 'b_dec', 'encoder.bias', 'encoder.weight']",
                    "pre = torch.relu(torch.nn.functional.linear(x - w['b_dec'], w['encoder.weight'], w['encoder.bias']))",
                    "v, i = torch.topk(pre, cfg['k'], dim=-1, sorted=False)",
                    "sp = torch.nn.functional.embedding_bag(i, w['W_dec'], per_sample_weights=v, mode='sum') + w['b_dec']",
                    "scale = ours.abs().max()",
                    "print(((lens - ours).abs().max() / scale).item(), ((sp - ours).abs().max() / scale).item())"));
            String[] diffs = out.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
            assertTrue(Double.parseDouble(diffs[0]) < 1e-5, kind + ": SAELens's forward differs by " + diffs[0]);
            assertTrue(Double.parseDouble(diffs[1]) < 1e-5, kind + ": sparsify's forward differs by " + diffs[1]);
        }
    }

    @Test
    void kindsWithoutAnEquivalentAndBadOutputsAreOneLineExit2() throws IOException {
        CliTest.Run r = export("--sae", p("twolayer"), "--format", "sparsify", "--out", p("no"));
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("esae: --sae " + p("twolayer") + ": the twolayer kind has no sparsify equivalent; load esae's own files with "
                + "python/esae_sae.py (docs/SAE_FORMAT.md)", r.err().strip());
        assertFalse(Files.exists(root.resolve("no")));
        r = export("--sae", p("topk"), "--format", "onnx", "--out", p("no"));
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().strip().contains("--format: expected saelens or sparsify, got 'onnx'"), r.err());
        r = export("--sae", p("topk"), "--format", "saelens", "--out", p("topk"), "--overwrite");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("is the --sae folder"), r.err());

        assertEquals(0, export("--sae", p("topk"), "--format", "saelens", "--out", p("again")).code());
        byte[] before = Files.readAllBytes(root.resolve("again").resolve("cfg.json"));
        r = export("--sae", p("wide"), "--format", "saelens", "--out", p("again"));
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("already holds an SAE"), r.err());
        assertArrayEquals(before, Files.readAllBytes(root.resolve("again").resolve("cfg.json")));
        r = export("--sae", p("topk"), "--format", "sparsify", "--out", p("again"), "--overwrite");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("holds sae_weights.safetensors (an SAE in another layout), not a sparsify export"), r.err());
        r = export("--sae", p("wide"), "--format", "saelens", "--out", p("again"), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertEquals((long) 4 * 8 * D, cfg("again").get("d_sae"));
    }
}
