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
    void imagesAreDrawnFromTheirLabelsAndChoicesAreUniform() {
        int n = 4000;
        ShapesDataset d = ShapesDataset.generate(n, 0, catalog);
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
    }
}
