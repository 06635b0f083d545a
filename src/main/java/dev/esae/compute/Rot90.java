package dev.esae.compute;

/**
 * The pixel map of a clockwise rotation of a square image by a number of quarter turns: the one
 * definition every image rotation in esae uses (dataset labels, CPU and GPU backends).
 *
 * <p>One clockwise quarter turn moves the top-left corner to the top-right:
 * {@code out[r][c] = in[size - 1 - c][r]}.
 */
public final class Rot90 {
    private Rot90() {}

    /** {@code quarterTurns} reduced to 0..3 (negative means counter-clockwise). */
    public static int normalize(int quarterTurns) {
        return Math.floorMod(quarterTurns, 4);
    }

    /** The flat index (row-major) of the input pixel that lands at output pixel (r, c). */
    public static int sourceIndex(int size, int quarterTurns, int r, int c) {
        int last = size - 1;
        switch (normalize(quarterTurns)) {
            case 0:
                return r * size + c;
            case 1:
                return (last - c) * size + r;
            case 2:
                return (last - r) * size + (last - c);
            default:
                return c * size + (last - r);
        }
    }

    /** Rotates one square byte image (row-major, {@code size × size}) into a new array. */
    public static byte[] rotate(byte[] image, int size, int quarterTurns) {
        if (image.length != size * size) {
            throw new IllegalArgumentException("image has " + image.length + " pixels, expected " + size + "x" + size);
        }
        byte[] out = new byte[image.length];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                out[r * size + c] = image[sourceIndex(size, quarterTurns, r, c)];
            }
        }
        return out;
    }
}
