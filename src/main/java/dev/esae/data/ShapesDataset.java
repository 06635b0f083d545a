package dev.esae.data;

import dev.esae.InputException;
import dev.esae.io.HostArray;
import dev.esae.io.ElementType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The synthetic shapes dataset (SPEC §1): 64×64 one-channel images whose four 32×32 quadrants each
 * hold one of the eight {@link ShapeKind}s, chosen independently and uniformly, upright (the default)
 * or in a uniformly chosen orientation ({@link Orientations}). Labels per image are {@code [4][2]}:
 * (shape id, orientation) for quadrants 0..3 (clockwise from the top-left). The images are the
 * canonical representatives {@code x}; their orbit under {@link CyclicGroup} is {@code g^p x}.
 *
 * <p>A dataset of other images (Fashion-MNIST, {@link #unlabelled}) has no shape labels: training,
 * activations and the frontier need only the images, and whatever asks for shape labels gets an
 * {@link InputException} saying why there are none.
 */
public final class ShapesDataset {
    /** Side of an image. */
    public static final int SIZE = 64;
    /** Quadrants per image. */
    public static final int QUADRANTS = 4;
    /** Row and column of each quadrant's top-left pixel, clockwise from the top-left. */
    private static final int[][] ORIGIN = {{0, 0}, {0, 32}, {32, 32}, {32, 0}};

    private final int count;
    private final byte[] images;
    /** {@code null} for images without shape labels. */
    private final int[] labels;
    /** Why there are no shape labels (one line for the user), or {@code null} when there are. */
    private final String noLabels;

    private ShapesDataset(int count, byte[] images, int[] labels, String noLabels) {
        this.count = count;
        this.images = images;
        this.labels = labels;
        this.noLabels = noLabels;
    }

    /**
     * Images without shape labels ({@code images}: uint8 row-major {@code [count, 64, 64]});
     * {@code why} is the line a request for shape labels gets, naming the folder.
     */
    public static ShapesDataset unlabelled(byte[] images, int count, String why) {
        if (images.length != count * SIZE * SIZE) {
            throw new IllegalArgumentException(images.length + " bytes are not " + count + " images of 64x64");
        }
        return new ShapesDataset(count, images, null, why);
    }

    /**
     * Images without shape labels from {@code images.npy} (uint8 {@code [N, 64, 64]}), checked for
     * shape; {@code why} as in {@link #unlabelled}.
     */
    public static ShapesDataset fromImages(HostArray images, Path imagesFile, String why) {
        checkImages(images, imagesFile);
        return unlabelled(images.toUnsignedBytes(), images.dim(0), why);
    }

    private static void checkImages(HostArray images, Path imagesFile) {
        if (images.dtype() != ElementType.UINT8 || images.rank() != 3 || images.dim(1) != SIZE || images.dim(2) != SIZE) {
            throw new InputException(imagesFile + ": expected uint8 images [N, 64, 64], found " + images.describe());
        }
        if (images.dim(0) == 0) {
            throw new InputException(imagesFile + ": holds no images (expected [N, 64, 64] with N >= 1)");
        }
    }

    /** Whether the images carry shape labels (the shapes dataset) or not (other images). */
    public boolean hasShapeLabels() {
        return labels != null;
    }

    /** The shape labels, or the {@link InputException} that says why there are none. */
    private int[] shapeLabels() {
        if (labels == null) {
            throw new InputException(noLabels);
        }
        return labels;
    }

    /** Draws {@code n} upright images from {@code seed} (SPEC §1's default). */
    public static ShapesDataset generate(int n, long seed, ShapeCatalog catalog) {
        return generate(n, seed, catalog, Orientations.UPRIGHT);
    }

    /**
     * Draws {@code n} images from {@code seed}. The same (n, seed, orientations) gives the same
     * bytes; a larger n with the same seed extends a smaller one. Both choices draw the same random
     * stream (a shape and an orientation per quadrant), and upright sets every orientation to 0, so
     * the upright and random datasets of one seed hold the same shapes in the same places: the
     * ablation changes orientations and nothing else.
     */
    public static ShapesDataset generate(int n, long seed, ShapeCatalog catalog, Orientations orientations) {
        if (n < 1) {
            throw new IllegalArgumentException("a dataset needs at least one image, got n = " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] images = new byte[Math.multiplyExact(n, SIZE * SIZE)];
        int[] labels = new int[n * QUADRANTS * 2];
        int[] one = new int[QUADRANTS * 2];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < QUADRANTS; q++) {
                int shape = rng.nextInt(ShapeKind.count());
                one[2 * q] = shape;
                int orientation = rng.nextInt(ShapeKind.of(shape).orbitSize());
                one[2 * q + 1] = orientations == Orientations.RANDOM ? orientation : 0;
            }
            System.arraycopy(one, 0, labels, i * one.length, one.length);
            renderInto(one, catalog, images, i * SIZE * SIZE);
        }
        return new ShapesDataset(n, images, labels, null);
    }

    /** The image drawn from one image's labels {@code [4][2]}. */
    public static byte[] render(int[] labels, ShapeCatalog catalog) {
        byte[] image = new byte[SIZE * SIZE];
        renderInto(labels, catalog, image, 0);
        return image;
    }

    private static void renderInto(int[] labels, ShapeCatalog catalog, byte[] dst, int offset) {
        int patch = ShapeCatalog.PATCH;
        for (int q = 0; q < QUADRANTS; q++) {
            byte[] p = catalog.patch(labels[2 * q], labels[2 * q + 1]);
            int r0 = ORIGIN[q][0];
            int c0 = ORIGIN[q][1];
            for (int r = 0; r < patch; r++) {
                System.arraycopy(p, r * patch, dst, offset + (r0 + r) * SIZE + c0, patch);
            }
        }
    }

    /**
     * A dataset from {@code images.npy} (uint8 {@code [N, 64, 64]}) and {@code labels.npy} (int32
     * {@code [N, 4, 2]}), checked for shapes and label ranges.
     */
    public static ShapesDataset fromArrays(HostArray images, Path imagesFile, HostArray labels, Path labelsFile) {
        checkImages(images, imagesFile);
        int[] l = checkLabels(labels, labelsFile);
        if (labels.dim(0) != images.dim(0)) {
            throw new InputException(labelsFile + ": holds labels for " + labels.dim(0) + " images, but " + imagesFile
                    + " holds " + images.dim(0));
        }
        return new ShapesDataset(images.dim(0), images.toUnsignedBytes(), l, null);
    }

    /**
     * Checks a labels array (int32 {@code [N, 4, 2]}: shape 0..7 and an orientation below its orbit
     * size per quadrant) and returns it flattened.
     */
    public static int[] checkLabels(HostArray labels, Path labelsFile) {
        if (labels.dtype() != ElementType.INT32 || labels.rank() != 3 || labels.dim(1) != QUADRANTS || labels.dim(2) != 2) {
            throw new InputException(labelsFile + ": expected int32 labels [N, 4, 2], found " + labels.describe());
        }
        int[] l = labels.toInts();
        for (int i = 0; i < l.length; i += 2) {
            int shape = l[i];
            if (shape < 0 || shape >= ShapeKind.count() || l[i + 1] < 0 || l[i + 1] >= ShapeKind.of(shape).orbitSize()) {
                throw new InputException(labelsFile + ": image " + i / (2 * QUADRANTS) + " has label (shape " + shape
                        + ", orientation " + l[i + 1] + "); expected shape 0..7 and an orientation below its orbit size");
            }
        }
        return l;
    }

    /** Number of images. */
    public int size() {
        return count;
    }

    /** A copy of image {@code i} (row-major, 0..255 as unsigned bytes). */
    public byte[] image(int i) {
        return Arrays.copyOfRange(images, i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
    }

    /** A copy of image {@code i}'s labels {@code [4][2]}. */
    public int[] labels(int i) {
        int w = QUADRANTS * 2;
        return Arrays.copyOfRange(shapeLabels(), i * w, (i + 1) * w);
    }

    /**
     * How the shapes of these images are oriented: upright when every label's orientation is 0;
     * images without shape labels are upright as given (photographs of upright garments).
     */
    public Orientations orientations() {
        if (labels == null) {
            return Orientations.UPRIGHT;
        }
        for (int i = 1; i < labels.length; i += 2) {
            if (labels[i] != 0) {
                return Orientations.RANDOM;
            }
        }
        return Orientations.UPRIGHT;
    }

    /**
     * Distinct images: upright data has only 8^4 = 4,096 possible ones, so a draw of thousands
     * repeats images (the paper's dataset does too); random orientations allow 28^4 = 614,656.
     */
    public int distinctImages() {
        return imageKeys(labels == null).size();
    }

    /** How many of this dataset's images also occur in {@code other} (e.g. probe images seen in training). */
    public int imagesAlsoIn(ShapesDataset other) {
        // Labels stand for the image only when both sides have them; else compare pixels.
        boolean byPixels = labels == null || other.labels == null;
        java.util.Set<Object> theirs = other.imageKeys(byPixels);
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += theirs.contains(imageKey(i, byPixels)) ? 1 : 0;
        }
        return n;
    }

    /** One key per distinct image: its labelling (which determines a shapes image) or its pixels. */
    private java.util.Set<Object> imageKeys(boolean byPixels) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            seen.add(imageKey(i, byPixels));
        }
        return seen;
    }

    private Object imageKey(int i, boolean byPixels) {
        if (byPixels) {
            return java.nio.ByteBuffer.wrap(images, i * SIZE * SIZE, SIZE * SIZE);
        }
        return labelKey(i);
    }

    private long labelKey(int i) {
        int w = QUADRANTS * 2;
        long key = 0;
        for (int j = 0; j < w; j++) {
            key = key * 8 + labels[i * w + j];
        }
        return key;
    }

    /** All images as floats in [0, 1], row-major {@code [N, 4096]}. */
    public float[] imagesAsFloats() {
        float[] f = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            f[i] = (images[i] & 0xff) / 255f;
        }
        return f;
    }

    /** All images as uint8 {@code [N, 64, 64]}. */
    public HostArray imagesArray() {
        return HostArray.ofUnsignedBytes(images, count, SIZE, SIZE);
    }

    /** All labels as int32 {@code [N, 4, 2]}. */
    public HostArray labelsArray() {
        return HostArray.ofInts(shapeLabels(), count, QUADRANTS, 2);
    }
}
