package dev.esae.data;

import dev.esae.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fashion-MNIST (Xiao et al. 2017) as esae's input: the idx files of one split, checked against each
 * other, and each 28×28 image placed in the 64×64 frame the base models take.
 *
 * <p><b>The frame.</b> Each pixel becomes a 2×2 block (nearest-neighbour upscaling by the integer
 * factor 2, 28 → 56) and the 56×56 image is centred with 4 black pixels on every side. An integer
 * factor copies pixels, so no grey level is invented and none is lost, and the frame's centre is the
 * image's, so a quarter turn of the frame is a quarter turn of the garment, pixel for pixel (the
 * group then acts exactly, as on the shapes). Centre-padding 28 → 64 would keep that too but leave
 * the garment a fifth of the frame's area; OpenCV's resize to 64 (×2.29) would interpolate new grey
 * levels. At 56 px the garments fill the frame about as the shapes' quadrants do.
 */
public final class FashionMnist {
    /** Where Debian's package {@code dataset-fashion-mnist} installs the idx files. */
    public static final Path PACKAGE_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** An environment variable naming another folder of the idx files (the {@code --idx-dir} option wins). */
    public static final String DIR_ENV = "ESAE_FASHION_MNIST";
    /** Side of a Fashion-MNIST image. */
    public static final int SIDE = 28;
    /** The integer upscaling factor. */
    public static final int SCALE = 2;
    /** Black pixels on each side of the upscaled image. */
    public static final int PAD = (ShapesDataset.SIZE - SCALE * SIDE) / 2;
    /** The frame method, as dataset.json records it. */
    public static final String FRAME = "2x nearest-neighbour upscale (28x28 -> 56x56, each pixel a 2x2 block), centred with 4 black pixels on each side";
    /** The ten classes, by label 0..9 (the dataset's README). */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** A split of the dataset: its name on the command line and the prefix of its idx files. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** {@code train} or {@code test}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The idx file of this split's images, e.g. {@code train-images-idx3-ubyte.gz}. */
        public String imagesName() {
            return prefix + "-images-idx3-ubyte.gz";
        }

        /** The idx file of this split's labels, e.g. {@code train-labels-idx1-ubyte.gz}. */
        public String labelsName() {
            return prefix + "-labels-idx1-ubyte.gz";
        }
    }

    /**
     * The first images of a split in the 64×64 frame, with their classes.
     *
     * @param images uint8 row-major {@code [count, 64, 64]}
     * @param classes the class 0..9 of each image
     * @param imagesFile the idx file the images came from
     * @param labelsFile the idx file the classes came from
     */
    public record Images(Split split, int count, byte[] images, int[] classes, Path imagesFile, Path labelsFile) {}

    /**
     * The folder of the idx files: {@code idxDir} when given, else {@value #DIR_ENV}'s, else the
     * package's.
     */
    public static Path folder(Path idxDir) {
        if (idxDir != null) {
            return idxDir;
        }
        String env = System.getenv(DIR_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : PACKAGE_DIR;
    }

    /** Reads the first {@code n} images of {@code split} from {@code dir} (all when {@code n} is null). */
    public static Images load(Path dir, Split split, Integer n) {
        Path imagesFile = dir.resolve(split.imagesName());
        Path labelsFile = dir.resolve(split.labelsName());
        for (Path f : List.of(imagesFile, labelsFile)) {
            if (!Files.isRegularFile(f)) {
                throw new InputException(f + ": not found: Fashion-MNIST is not installed there (apt-get install dataset-fashion-mnist puts it in "
                        + PACKAGE_DIR + "; or give --idx-dir DIR, or " + DIR_ENV + "=DIR, a folder holding " + split.imagesName() + " and "
                        + split.labelsName() + ")");
            }
        }
        IdxFile images = IdxFile.readImages(imagesFile);
        if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new InputException(imagesFile + ": holds " + images.dims()[1] + "x" + images.dims()[2] + " images; expected Fashion-MNIST's "
                    + SIDE + "x" + SIDE);
        }
        IdxFile labels = IdxFile.readLabels(labelsFile);
        if (labels.count() != images.count()) {
            throw new InputException(labelsFile + ": holds " + labels.count() + " labels, but " + imagesFile + " holds " + images.count()
                    + " images (expected the two files of one split, one label per image)");
        }
        int count = n == null ? images.count() : n;
        if (count < 1 || count > images.count()) {
            throw new InputException("--n " + count + ": expected 1 to " + images.count() + " (the images of Fashion-MNIST's " + split.id()
                    + " split in " + imagesFile + ")");
        }
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = labels.data()[i] & 0xff;
            if (classes[i] >= CLASS_NAMES.size()) {
                throw new InputException(labelsFile + ": item " + i + " has label " + classes[i] + "; expected a class 0 to "
                        + (CLASS_NAMES.size() - 1));
            }
        }
        return new Images(split, count, frame(images.data(), count), classes, imagesFile, labelsFile);
    }

    /** The first {@code count} 28×28 images of {@code src} in the 64×64 frame (see the class comment). */
    public static byte[] frame(byte[] src, int count) {
        int size = ShapesDataset.SIZE;
        byte[] dst = new byte[Math.multiplyExact(count, size * size)];
        for (int i = 0; i < count; i++) {
            int s0 = i * SIDE * SIDE;
            int d0 = i * size * size;
            for (int r = 0; r < SIDE * SCALE; r++) {
                int row = d0 + (PAD + r) * size + PAD;
                int srcRow = s0 + (r / SCALE) * SIDE;
                for (int c = 0; c < SIDE * SCALE; c++) {
                    dst[row + c] = src[srcRow + c / SCALE];
                }
            }
        }
        return dst;
    }
}
