package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.InputException;
import dev.esae.data.DatasetFiles;
import dev.esae.data.DatasetInfo;
import dev.esae.data.FashionMnist;
import dev.esae.data.IdxFile;
import dev.esae.data.Orientations;
import dev.esae.data.ShapesDataset;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code esae dataset --source fashion-mnist} on a small slice of the package's train split, end to
 * end: the folder's files, its tasks CSV, and {@code train-base} and {@code activations} on it.
 * Skipped where Debian's dataset-fashion-mnist is not installed.
 */
class FashionDatasetTest {
    @TempDir
    Path dir;

    private static void assumePackage() {
        assumeTrue(Files.isRegularFile(FashionMnist.PACKAGE_DIR.resolve(FashionMnist.Split.TRAIN.imagesName())),
                FashionMnist.PACKAGE_DIR + " is missing (apt-get install dataset-fashion-mnist): skipping the Fashion-MNIST slice");
    }

    private static void ok(CliTest.Run r, String what) {
        assertEquals(0, r.code(), what + ": " + r.err());
    }

    @Test
    void aSliceIsAFolderTheBaseModelsTrainOnWithClassesAndTasks() throws Exception {
        assumePackage();
        Path data = dir.resolve("fashion");
        CliTest.Run r = CliTest.esae("dataset", "--source", "fashion-mnist", "--n", "64", "--out", data.toString());
        ok(r, "dataset");
        assertTrue(r.out().contains("wrote 64 fashion-mnist train images"), r.out());

        // The images: the first 64 of the split, each framed; the classes: the idx labels.
        IdxFile idxImages = IdxFile.readImages(FashionMnist.PACKAGE_DIR.resolve(FashionMnist.Split.TRAIN.imagesName()));
        IdxFile idxLabels = IdxFile.readLabels(FashionMnist.PACKAGE_DIR.resolve(FashionMnist.Split.TRAIN.labelsName()));
        HostArray images = Npy.read(data.resolve(DatasetFiles.IMAGES));
        assertEquals("uint8[64, 64, 64]", images.describe());
        assertArrayEquals(FashionMnist.frame(idxImages.data(), 64), images.toUnsignedBytes());
        HostArray classes = Npy.read(data.resolve(DatasetFiles.CLASSES));
        assertEquals("int32[64]", classes.describe());
        int[] c = classes.toInts();
        for (int i = 0; i < 64; i++) {
            assertEquals(idxLabels.data()[i], c[i], "class of image " + i);
        }
        assertFalse(Files.exists(data.resolve(DatasetFiles.LABELS)), "no shape labels are made up");
        assertFalse(Files.exists(data.resolve(DatasetFiles.SHAPES)));
        assertTrue(Files.size(data.resolve(DatasetFiles.SHEET)) > 0);

        DatasetInfo info = DatasetFiles.info(data);
        assertEquals("fashion-mnist", info.source());
        assertEquals("train", info.split());
        assertEquals(64, info.images());
        assertEquals(FashionMnist.FRAME, info.frame());
        assertEquals(FashionMnist.CLASS_NAMES, info.classNames());
        assertEquals("upright", info.orientations());
        assertNull(info.seed(), "nothing is drawn");
        assertEquals(List.of(idxImages.file().toString(), idxLabels.file().toString()), List.copyOf(info.provenance().inputs().keySet()));
        assertEquals(dev.esae.train.Provenance.sha256(idxImages.file()), info.provenance().inputs().get(idxImages.file().toString()));

        checkTasks(data.resolve(DatasetFiles.TASKS), c);

        // The images without shape labels: what needs only images works, what needs shape labels says why not.
        ShapesDataset read = DatasetFiles.read(data);
        assertEquals(64, read.size());
        assertFalse(read.hasShapeLabels());
        assertEquals(Orientations.UPRIGHT, DatasetFiles.orientations(data));
        InputException e = assertThrows(InputException.class, read::labelsArray);
        assertTrue(e.getMessage().contains("holds Fashion-MNIST images, which have no shape labels (labels.npy); its tasks are in"), e.getMessage());

        Path model = dir.resolve("model");
        ok(CliTest.esae("train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "1", "--batch", "16", "--out", model.toString()),
                "train-base");
        Path acts = dir.resolve("acts.npy");
        ok(CliTest.esae("activations", "--model", model.toString(), "--data", data.toString(), "--out", acts.toString()), "activations");
        assertEquals("float32[64, 4, 256]", Npy.read(acts).describe());

        // The same folder again needs --overwrite; the test split is there too.
        CliTest.Run again = CliTest.esae("dataset", "--source", "fashion-mnist", "--n", "8", "--split", "test", "--out", data.toString());
        assertEquals(ExitCodes.USAGE, again.code());
        ok(CliTest.esae("dataset", "--source", "fashion-mnist", "--n", "8", "--split", "test", "--out", data.toString(), "--overwrite"),
                "dataset --split test --overwrite");
        assertEquals("test", DatasetFiles.info(data).split());
        assertEquals(8 * 4 + 1, Files.readAllLines(data.resolve(DatasetFiles.TASKS)).size());
    }

    /** 256 rows (64 inputs × 4 orientations in [i, p] order) of 50 tasks, each label what its name says. */
    private static void checkTasks(Path csv, int[] classes) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + 64 * 4, lines.size(), "a header and 256 rows");
        String[] names = lines.get(0).split(",", -1);
        assertEquals(50, names.length);
        for (int k = 0; k < 10; k++) {
            assertEquals("class " + k, names[k]);
            for (int p = 0; p < 4; p++) {
                assertEquals("class " + k + " at rotation " + p, names[10 + 4 * k + p]);
            }
        }
        for (int i = 0; i < 64; i++) {
            for (int p = 0; p < 4; p++) {
                String[] row = lines.get(1 + 4 * i + p).split(",", -1);
                assertEquals(50, row.length);
                for (int k = 0; k < 10; k++) {
                    // "class k" is the same on the input's 4 rows: a turn does not change the class.
                    assertEquals(classes[i] == k ? "1" : "0", row[k], "row " + (4 * i + p) + ", class " + k);
                    for (int q = 0; q < 4; q++) {
                        // "class k at rotation q" is positive only on the row of orientation q.
                        assertEquals(classes[i] == k && q == p ? "1" : "0", row[10 + 4 * k + q], "row " + (4 * i + p) + ", " + names[10 + 4 * k + q]);
                    }
                }
            }
        }
    }
}
