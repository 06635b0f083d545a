package dev.esae.data;

import dev.esae.compute.Rot90;

/**
 * The cyclic group {@code C_n} of rotations, with its actions on the dataset's images and labels.
 *
 * <p>The generator {@code g} rotates the whole image clockwise by {@code 360°/n}; only n = 1, 2 and 4
 * act pixel-exactly on a square grid, so those are the orders allowed here (the paper uses n = 4).
 * A clockwise turn moves quadrant q (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left) to the
 * next one clockwise and rotates the shape in it, which adds one quarter turn to its orientation.
 * {@link #actOnLabels} is that consequence written out; the tests check it against re-drawing.
 */
public final class CyclicGroup {
    /** The paper's group: quarter turns. */
    public static final CyclicGroup C4 = new CyclicGroup(4);

    private final int order;

    public CyclicGroup(int order) {
        if (order != 1 && order != 2 && order != 4) {
            throw new IllegalArgumentException("rotations of a square image form C_1, C_2 or C_4; got n = " + order);
        }
        this.order = order;
    }

    /** n, the number of elements. */
    public int order() {
        return order;
    }

    /** The element {@code g^p}, as an exponent in {@code 0..n-1}. */
    public int normalize(int p) {
        return Math.floorMod(p, order);
    }

    /** {@code g^a g^b}. */
    public int compose(int a, int b) {
        return normalize(a + b);
    }

    /** The exponent of {@code (g^p)^-1}. */
    public int inverse(int p) {
        return normalize(-p);
    }

    /** Clockwise quarter turns performed by {@code g^p}. */
    public int quarterTurns(int p) {
        return normalize(p) * (4 / order);
    }

    /** {@code g^p} applied to one square image (row-major bytes). */
    public byte[] actOnImage(byte[] image, int size, int p) {
        return Rot90.rotate(image, size, quarterTurns(p));
    }

    /**
     * {@code g^p} applied to one image's labels {@code [4][2]} flattened as
     * {@code (shape, orientation)} per quadrant: quadrant q's shape moves to quadrant q + t and its
     * orientation gains t quarter turns (mod its orbit size), where t = {@link #quarterTurns(int)}.
     */
    public int[] actOnLabels(int[] labels, int p) {
        if (labels.length != ShapesDataset.QUADRANTS * 2) {
            throw new IllegalArgumentException("labels of one image hold 4 x (shape, orientation), got " + labels.length);
        }
        int t = quarterTurns(p);
        int[] out = new int[labels.length];
        for (int q = 0; q < ShapesDataset.QUADRANTS; q++) {
            int to = (q + t) % ShapesDataset.QUADRANTS;
            int shape = labels[2 * q];
            out[2 * to] = shape;
            out[2 * to + 1] = (labels[2 * q + 1] + t) % ShapeKind.of(shape).orbitSize();
        }
        return out;
    }
}
