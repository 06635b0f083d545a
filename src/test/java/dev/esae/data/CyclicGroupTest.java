package dev.esae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.esae.compute.Rot90;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The label action derived in {@link CyclicGroup} against re-drawing, pixel for pixel. */
class CyclicGroupTest {
    private static ShapeCatalog catalog;

    @BeforeAll
    static void draw() {
        catalog = ShapeCatalog.draw();
    }

    @Test
    void rotatingAnImageEqualsDrawingTheRotatedLabels() {
        SplittableRandom rng = new SplittableRandom(1);
        CyclicGroup g = CyclicGroup.C4;
        int checked = 0;
        for (ShapeKind kind : ShapeKind.values()) {
            for (int o = 0; o < kind.orbitSize(); o++) {
                for (int q = 0; q < ShapesDataset.QUADRANTS; q++) {
                    int[] labels = new int[8];
                    for (int other = 0; other < 4; other++) {
                        int s = rng.nextInt(ShapeKind.count());
                        labels[2 * other] = s;
                        labels[2 * other + 1] = rng.nextInt(ShapeKind.of(s).orbitSize());
                    }
                    labels[2 * q] = kind.ordinal();
                    labels[2 * q + 1] = o;
                    byte[] image = ShapesDataset.render(labels, catalog);
                    for (int p = 0; p <= 4; p++) {
                        byte[] rotated = g.actOnImage(image, ShapesDataset.SIZE, p);
                        byte[] redrawn = ShapesDataset.render(g.actOnLabels(labels, p), catalog);
                        assertArrayEquals(redrawn, rotated, kind + " orientation " + o + " in quadrant " + q + ", g^" + p);
                        checked++;
                    }
                }
            }
        }
        assertEquals(5 * 4 * (6 * 4 + 2 * 2), checked);
    }

    @Test
    void oneTurnMovesQuadrantZeroToOneAndAddsAQuarterTurn() {
        int[] labels = {0, 0, 6, 1, 3, 3, 7, 0};
        assertArrayEquals(new int[] {7, 1, 0, 1, 6, 0, 3, 0}, CyclicGroup.C4.actOnLabels(labels, 1));
    }

    @Test
    void onUprightDataTheOrientationAfterGToThePIsPModuloTheOrbitAndTheLabelsMatchARedrawing() {
        ShapesDataset data = ShapesDataset.generate(200, 4, catalog);
        for (int i = 0; i < data.size(); i++) {
            int[] canonical = data.labels(i);
            for (int p = 0; p < 4; p++) {
                int[] seen = CyclicGroup.C4.actOnLabels(canonical, p);
                assertArrayEquals(ShapesDataset.render(seen, catalog), CyclicGroup.C4.actOnImage(data.image(i), ShapesDataset.SIZE, p),
                        "image " + i + " at g^" + p);
                for (int q = 0; q < 4; q++) {
                    int from = ((q - p) % 4 + 4) % 4;
                    assertEquals(canonical[2 * from], seen[2 * q], "shape moved from quadrant " + from + " to " + q);
                    assertEquals(p % ShapeKind.of(seen[2 * q]).orbitSize(), seen[2 * q + 1], "orientation after g^" + p);
                }
            }
        }
    }

    @Test
    void gToTheNIsTheIdentityOnImagesAndLabels() {
        for (Orientations o : Orientations.values()) {
            gToTheNIsTheIdentity(ShapesDataset.generate(20, 3, catalog, o));
        }
    }

    private void gToTheNIsTheIdentity(ShapesDataset data) {
        for (CyclicGroup g : new CyclicGroup[] {CyclicGroup.C4, new CyclicGroup(2)}) {
            for (int i = 0; i < data.size(); i++) {
                byte[] img = data.image(i);
                int[] labels = data.labels(i);
                byte[] x = img;
                int[] l = labels;
                for (int step = 0; step < g.order(); step++) {
                    x = g.actOnImage(x, ShapesDataset.SIZE, 1);
                    l = g.actOnLabels(l, 1);
                    assertArrayEquals(ShapesDataset.render(l, catalog), x, "C" + g.order() + " step " + step);
                }
                assertArrayEquals(img, x);
                assertArrayEquals(labels, l);
            }
        }
    }

    @Test
    void groupArithmetic() {
        CyclicGroup g = CyclicGroup.C4;
        assertEquals(1, g.compose(3, 2));
        assertEquals(3, g.inverse(1));
        assertEquals(0, g.compose(2, g.inverse(2)));
        assertEquals(3, g.normalize(-1));
        assertEquals(2, new CyclicGroup(2).quarterTurns(1));
        assertThrows(IllegalArgumentException.class, () -> new CyclicGroup(3));
    }

    @Test
    void orbitSizesAreFourForSixShapesAndTwoForTwo() {
        int fours = 0;
        int twos = 0;
        for (ShapeKind kind : ShapeKind.values()) {
            byte[] canonical = catalog.patch(kind.ordinal(), 0);
            Set<String> orbit = new HashSet<>();
            for (int t = 0; t < 4; t++) {
                orbit.add(Arrays.toString(Rot90.rotate(canonical, ShapeCatalog.PATCH, t)));
            }
            assertEquals(kind.orbitSize(), orbit.size(), kind + " has " + orbit.size() + " distinct rotations");
            assertFalse(Arrays.equals(canonical, Rot90.rotate(canonical, ShapeCatalog.PATCH, 1)), kind + " is not invariant under 90 degrees");
            if (orbit.size() == 4) {
                fours++;
            } else if (orbit.size() == 2) {
                twos++;
            }
        }
        assertEquals(6, fours);
        assertEquals(2, twos);
    }

    @Test
    void everyShapeAndOrientationLooksDifferent() {
        Set<String> patches = new HashSet<>();
        int total = 0;
        for (ShapeKind kind : ShapeKind.values()) {
            for (int o = 0; o < kind.orbitSize(); o++) {
                byte[] p = catalog.patch(kind.ordinal(), o);
                int lit = 0;
                for (byte b : p) {
                    lit += (b & 0xff) > 127 ? 1 : 0;
                }
                // Drawn, and inside its quadrant with a margin.
                org.junit.jupiter.api.Assertions.assertTrue(lit > 40, kind + " has " + lit + " lit pixels");
                for (int i = 0; i < ShapeCatalog.PATCH; i++) {
                    assertEquals(0, p[i] & 0xff, kind + " touches the top edge");
                    assertEquals(0, p[(ShapeCatalog.PATCH - 1) * ShapeCatalog.PATCH + i] & 0xff, kind + " touches the bottom edge");
                }
                patches.add(Arrays.toString(p));
                total++;
            }
        }
        assertEquals(28, total);
        assertEquals(28, patches.size(), "labels are recoverable from the image");
    }
}
