package dev.esae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.InputException;
import dev.esae.io.HostArray;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {
    private static ShapeCatalog catalog;

    @BeforeAll
    static void draw() {
        catalog = ShapeCatalog.draw();
    }

    @Test
    void sameSeedSameBytesAndALargerDrawExtendsASmallerOne() {
        ShapesDataset a = ShapesDataset.generate(50, 7, catalog);
        ShapesDataset b = ShapesDataset.generate(80, 7, catalog);
        ShapesDataset c = ShapesDataset.generate(50, 8, catalog);
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(a.image(i), b.image(i));
            assertArrayEquals(a.labels(i), b.labels(i));
        }
        assertFalse(Arrays.equals(a.labelsArray().toInts(), c.labelsArray().toInts()), "another seed, another draw");
        assertArrayEquals(a.imagesArray().toUnsignedBytes(), ShapesDataset.generate(50, 7, catalog).imagesArray().toUnsignedBytes());
    }

    @Test
    void randomOrientationsKeepTheBytesOfEarlierVersions() throws Exception {
        // SHA-256 of images and labels that esae 4166447 (before the upright default) drew with --n 300 --seed 7.
        ShapesDataset d = ShapesDataset.generate(300, 7, catalog, Orientations.RANDOM);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        assertEquals("1b98efe18ae4694a6abcb8bc644b89848ac3e4ea9f712be0088e9fe571a520e6",
                java.util.HexFormat.of().formatHex(sha.digest(d.imagesArray().toUnsignedBytes())));
        java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(300 * 8 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int v : d.labelsArray().toInts()) {
            labels.putInt(v);
        }
        assertEquals("1424754176f196e37854ea7c725704c8b08274f73dbe1bf950041c1c8e923bf8",
                java.util.HexFormat.of().formatHex(sha.digest(labels.array())));
        assertEquals(Orientations.RANDOM, d.orientations());
    }

    @Test
    void uprightImagesHoldEveryShapeInOrientationZeroWithTheSamePixelsEverywhere() {
        int n = 3000;
        ShapesDataset up = ShapesDataset.generate(n, 5, catalog);
        ShapesDataset random = ShapesDataset.generate(n, 5, catalog, Orientations.RANDOM);
        assertEquals(Orientations.UPRIGHT, up.orientations());
        int[] shapeCounts = new int[8];
        for (int i = 0; i < n; i++) {
            int[] l = up.labels(i);
            int[] lr = random.labels(i);
            byte[] img = up.image(i);
            for (int q = 0; q < 4; q++) {
                assertEquals(0, l[2 * q + 1], "image " + i + " quadrant " + q + " is not upright");
                assertEquals(lr[2 * q], l[2 * q], "the same seed puts the same shapes in the same places under both choices");
                shapeCounts[l[2 * q]]++;
                // The quadrant's pixels are the upright patch of its shape, whatever the image and the quadrant.
                byte[] patch = catalog.patch(l[2 * q], 0);
                int r0 = q == 2 || q == 3 ? 32 : 0;
                int c0 = q == 1 || q == 2 ? 32 : 0;
                for (int r = 0; r < 32; r++) {
                    assertArrayEquals(Arrays.copyOfRange(patch, r * 32, r * 32 + 32),
                            Arrays.copyOfRange(img, (r0 + r) * 64 + c0, (r0 + r) * 64 + c0 + 32), "image " + i + " quadrant " + q);
                }
            }
        }
        for (int s = 0; s < 8; s++) {
            assertTrue(Math.abs(shapeCounts[s] - n * 4 / 8.0) < 250, "shape " + s + ": " + shapeCounts[s]);
        }
        // 8^4 possible upright images: 3,000 draws repeat some (expected distinct: 4096 (1 - e^(-3000/4096)) ~ 2,120).
        int distinct = up.distinctImages();
        assertTrue(distinct > 2000 && distinct < 2250, "distinct upright images: " + distinct);
        assertTrue(random.distinctImages() > 2990, "random orientations rarely repeat: " + random.distinctImages());
        // A probe set of another seed mostly repeats training images when upright, almost never when random.
        ShapesDataset probe = ShapesDataset.generate(500, 6, catalog);
        int seen = probe.imagesAlsoIn(up);
        assertTrue(seen > 200 && seen < 350, "upright probe images also in training: " + seen);  // ~500 (1 - e^(-3000/4096)) = 260
        assertTrue(ShapesDataset.generate(500, 6, catalog, Orientations.RANDOM).imagesAlsoIn(random) < 10);
        assertEquals(probe.size(), probe.imagesAlsoIn(probe));
    }

    @Test
    void imagesAreDrawnFromTheirLabelsAndChoicesAreUniform() {
        int n = 4000;
        ShapesDataset d = ShapesDataset.generate(n, 0, catalog, Orientations.RANDOM);
        int[] shapeCounts = new int[8];
        int[][] orientationCounts = new int[8][4];
        for (int i = 0; i < n; i++) {
            int[] l = d.labels(i);
            if (i < 100) {
                assertArrayEquals(ShapesDataset.render(l, catalog), d.image(i));
            }
            for (int q = 0; q < 4; q++) {
                shapeCounts[l[2 * q]]++;
                orientationCounts[l[2 * q]][l[2 * q + 1]]++;
            }
        }
        double expected = n * 4 / 8.0;
        for (int s = 0; s < 8; s++) {
            // 2000 draws per shape: a 5-sigma band is about +-220.
            assertTrue(Math.abs(shapeCounts[s] - expected) < 250, "shape " + s + ": " + shapeCounts[s]);
            int orbit = ShapeKind.of(s).orbitSize();
            for (int o = 0; o < 4; o++) {
                if (o < orbit) {
                    assertTrue(Math.abs(orientationCounts[s][o] - shapeCounts[s] / (double) orbit) < 160,
                            "shape " + s + " orientation " + o + ": " + orientationCounts[s][o]);
                } else {
                    assertEquals(0, orientationCounts[s][o]);
                }
            }
        }
    }

    @Test
    void aDatasetFolderRecordsItsOrientationsAndIsRefusedWhenItsRecordDisagreesWithItsLabels(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        ShapesDataset random = ShapesDataset.generate(40, 2, catalog, Orientations.RANDOM);
        DatasetFiles.write(dir, random, catalog, 2);
        String info = java.nio.file.Files.readString(dir.resolve(DatasetFiles.INFO));
        assertTrue(info.contains("\"orientations\": \"random\"") && info.contains("\"distinct_images\": 40"), info);
        assertEquals(Orientations.RANDOM, DatasetFiles.orientations(dir));
        java.nio.file.Files.writeString(dir.resolve(DatasetFiles.INFO), info.replace("random", "upright"));
        InputException e = assertThrows(InputException.class, () -> DatasetFiles.read(dir));
        assertTrue(e.getMessage().contains("says the shapes are upright") && e.getMessage().contains("labels.npy"), e.getMessage());
        java.nio.file.Files.writeString(dir.resolve(DatasetFiles.INFO), "{\"orientations\": 3}");
        e = assertThrows(InputException.class, () -> DatasetFiles.orientations(dir));
        assertTrue(e.getMessage().contains("expected \"orientations\": \"upright\" or \"random\""), e.getMessage());
        // A folder of an older version has no dataset.json: its labels tell.
        java.nio.file.Files.delete(dir.resolve(DatasetFiles.INFO));
        assertEquals(Orientations.RANDOM, DatasetFiles.orientations(dir));
    }

    @Test
    void arraysHaveTheDocumentedShapes() {
        ShapesDataset d = ShapesDataset.generate(3, 0, catalog);
        assertEquals("uint8[3, 64, 64]", d.imagesArray().describe());
        assertEquals("int32[3, 4, 2]", d.labelsArray().describe());
    }

    @Test
    void fromArraysChecksShapesAndLabelRanges() {
        ShapesDataset d = ShapesDataset.generate(4, 0, catalog);
        Path img = Path.of("images.npy");
        Path lab = Path.of("labels.npy");
        ShapesDataset back = ShapesDataset.fromArrays(d.imagesArray(), img, d.labelsArray(), lab);
        assertArrayEquals(d.image(3), back.image(3));

        HostArray flat = HostArray.ofUnsignedBytes(new byte[4 * 4096], 4, 4096);
        InputException e1 = assertThrows(InputException.class, () -> ShapesDataset.fromArrays(flat, img, d.labelsArray(), lab));
        assertTrue(e1.getMessage().contains("expected uint8 images [N, 64, 64], found uint8[4, 4096]"), e1.getMessage());

        HostArray fewer = HostArray.ofInts(new int[3 * 8], 3, 4, 2);
        InputException e2 = assertThrows(InputException.class, () -> ShapesDataset.fromArrays(d.imagesArray(), img, fewer, lab));
        assertTrue(e2.getMessage().contains("holds labels for 3 images"), e2.getMessage());

        int[] bad = d.labelsArray().toInts();
        bad[2 * 4 * 2 + 1] = 3;
        bad[2 * 4 * 2] = 6;
        InputException e3 = assertThrows(InputException.class,
                () -> ShapesDataset.fromArrays(d.imagesArray(), img, HostArray.ofInts(bad, 4, 4, 2), lab));
        assertTrue(e3.getMessage().contains("image 2 has label (shape 6, orientation 3)"), e3.getMessage());

        // A folder of no images was read as a dataset, which no command can use (a draw needs n >= 1).
        HostArray none = HostArray.ofUnsignedBytes(new byte[0], 0, 64, 64);
        InputException e4 = assertThrows(InputException.class,
                () -> ShapesDataset.fromArrays(none, img, HostArray.ofInts(new int[0], 0, 4, 2), lab));
        assertEquals("images.npy: holds no images (expected [N, 64, 64] with N >= 1)", e4.getMessage());
    }
}
