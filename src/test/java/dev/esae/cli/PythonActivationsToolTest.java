package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.data.CyclicGroup;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.testutil.Python;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code python/esae_acts.py}, the bridge from a user's PyTorch model: its rotations are esae's
 * g (checked pixel for pixel through an identity model), and the activations of a small randomly
 * initialised CNN go through fit-m, train-sae (invariant and equivariant) and probe. Skips where
 * Debian's python3-torch is missing.
 */
class PythonActivationsToolTest {
    @TempDir
    Path dir;

    private static final Path TOOL = Path.of("python", "esae_acts.py");

    @Test
    void theToolsRotationsAreEsaesGroupAction() throws Exception {
        Python.assumeTorch();
        Path data = dir.resolve("data");
        assertEquals(0, CliTest.esae("dataset", "--n", "6", "--out", data.toString()).code());
        Files.writeString(dir.resolve("ident.py"), "import torch\n\ndef build():\n    return torch.nn.Sequential(torch.nn.Flatten())\n");
        Path acts = dir.resolve("pixels.npy");
        tool("--model", dir.resolve("ident.py") + ":build", "--layer", "0", "--images", DatasetFiles.imagesFile(data).toString(), "--order",
                "4", "--batch", "4", "--out", acts.toString());
        HostArray a = Npy.read(acts);
        assertEquals("float32[6, 4, 4096]", a.describe());
        float[] v = a.toFloats();
        ShapesDataset ds = DatasetFiles.read(data);
        for (int i = 0; i < 6; i++) {
            for (int p = 0; p < 4; p++) {
                byte[] seen = CyclicGroup.C4.actOnImage(ds.image(i), ShapesDataset.SIZE, p);
                for (int j = 0; j < seen.length; j++) {
                    assertEquals((seen[j] & 0xff) / 255f, v[(i * 4 + p) * 4096 + j], 0f, "image " + i + " at g^" + p + ", pixel " + j);
                }
            }
        }
    }

    @Test
    void aRandomCnnsActivationsGoThroughFitMTrainSaeAndProbe() throws Exception {
        Python.assumeTorch();
        Path data = dir.resolve("data");
        assertEquals(0, CliTest.esae("dataset", "--n", "48", "--out", data.toString()).code());
        Files.writeString(dir.resolve("cnn.py"), String.join("\n", "import torch", "from torch import nn", "",
                "def build():",
                "    return nn.Sequential(nn.Conv2d(1, 4, 5, stride=2), nn.ReLU(), nn.Conv2d(4, 8, 5, stride=2), nn.ReLU(),",
                "                         nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(128, 32), nn.ReLU())", ""));
        Path acts = dir.resolve("acts.npy");
        String said = tool("--model", dir.resolve("cnn.py") + ":build", "--layer", "7", "--images", DatasetFiles.imagesFile(data).toString(),
                "--out", acts.toString());
        assertTrue(said.contains("\"shape\": [48, 4, 32]") && said.contains("images/s"), said);
        HostArray a = Npy.read(acts);
        assertEquals("float32[48, 4, 32]", a.describe());
        float[] v = a.toFloats();
        boolean differs = false;
        for (int i = 0; i < 48 && !differs; i++) {
            for (int j = 0; j < 32; j++) {
                differs |= v[(i * 4) * 32 + j] != v[(i * 4 + 1) * 32 + j];
            }
        }
        assertTrue(differs, "a CNN sees a rotated image differently");

        ok("fit-m", "--acts", acts.toString(), "--epochs", "3", "--batch", "16", "--out", dir.resolve("m").toString());
        ok("train-sae", "--kind", "invariant", "--k", "4", "--acts", acts.toString(), "--epochs", "2", "--batch", "16", "--out",
                dir.resolve("inv").toString());
        ok("train-sae", "--kind", "equivariant", "--k", "4", "--acts", acts.toString(), "--transform", dir.resolve("m").toString(),
                "--epochs", "2", "--batch", "16", "--out", dir.resolve("eq").toString());
        Path probe = dir.resolve("probe");
        ok("probe", "--sae", dir.resolve("inv").toString(), "--sae", dir.resolve("eq").toString(), "--acts", acts.toString(), "--labels",
                data.resolve(DatasetFiles.LABELS).toString(), "--lengths", "4", "--probes", "logreg", "--out", probe.toString());
        // The base activations and each SAE's latents and reconstructions, on the 180 tasks.
        assertEquals(1 + 180 * (1 + 2 * 2), Files.readAllLines(probe.resolve("results.csv")).size());
    }

    private static void ok(String... args) {
        CliTest.Run r = CliTest.esae(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    }

    /** Runs the tool with Debian's python3 (torch), returning stdout and stderr; fails unless it exits 0. */
    private static String tool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Python.TORCH_PYTHON, TOOL.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1"); // single-threaded natives in tests
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the tool finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
