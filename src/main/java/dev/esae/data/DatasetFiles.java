package dev.esae.data;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.io.AtomicFiles;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.train.Provenance;
import dev.esae.io.Npy;
import dev.esae.io.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a dataset folder: {@code images.npy}, {@code labels.npy}, {@code dataset.json} (how
 * it was drawn: orientations, seed, count, distinct images), {@code sheet.png} (the first 64 images)
 * and {@code shapes.png} (every shape in every orientation, one shape per row). A Fashion-MNIST
 * folder has no shape labels: {@code classes.npy} and {@code tasks.csv} instead of
 * {@code labels.npy} and {@code shapes.png}.
 */
public final class DatasetFiles {
    public static final String IMAGES = "images.npy";
    public static final String LABELS = "labels.npy";
    public static final String INFO = "dataset.json";
    public static final String SHEET = "sheet.png";
    public static final String SHAPES = "shapes.png";
    /** A classified dataset's class of each image: int32 {@code [N]}. */
    public static final String CLASSES = "classes.npy";
    /** A classified dataset's probing tasks for {@code probe --tasks} ({@link ClassTasks}). */
    public static final String TASKS = "tasks.csv";
    /** dataset.json's {@code source} of the synthetic shapes. */
    public static final String SHAPES_SOURCE = "shapes";
    /** dataset.json's {@code source} of Fashion-MNIST images. */
    public static final String FASHION_SOURCE = "fashion-mnist";

    private DatasetFiles() {}

    /**
     * The file of a dataset folder that work on its images depends on, for provenance: a run on
     * the images records this file's SHA-256, not the folder's (which also holds other files, such
     * as a study's probe activations).
     */
    public static Path imagesFile(Path dir) {
        return dir.resolve(IMAGES);
    }

    /** {@code esae dataset} as a library call: draws {@code n} images from {@code seed} and writes the folder {@code dir}. */
    public static ShapesDataset draw(Path dir, int n, long seed, Orientations orientations) throws IOException {
        ShapeCatalog catalog = ShapeCatalog.draw();
        ShapesDataset data = ShapesDataset.generate(n, seed, catalog, orientations);
        write(dir, data, catalog, seed);
        return data;
    }

    /** Writes all five files into {@code dir}, each atomically; {@code seed} is the draw's, for dataset.json. */
    public static void write(Path dir, ShapesDataset data, ShapeCatalog catalog, long seed) throws IOException {
        // A replaced Fashion-MNIST folder's own files would otherwise sit beside shapes they do not describe.
        Files.deleteIfExists(dir.resolve(CLASSES));
        Files.deleteIfExists(dir.resolve(TASKS));
        Npy.write(dir.resolve(IMAGES), data.imagesArray());
        Npy.write(dir.resolve(LABELS), data.labelsArray());
        DatasetInfo info = new DatasetInfo(SHAPES_SOURCE, data.orientations().id(), data.size(), seed, data.distinctImages(), BuildInfo.version(),
                Provenance.onHost("OpenCV " + BuildInfo.get("opencv") + " (the images are drawn on the host)", 1, seed, List.of()), null, null,
                null);
        AtomicFiles.writeString(dir.resolve(INFO), Json.pretty(info));
        writeSheet(dir, data);
        ContactSheet shapes = catalogSheet(catalog);
        Png.writeGray(dir.resolve(SHAPES), shapes.pixels(), shapes.width(), shapes.height());
    }

    /**
     * {@code esae dataset --source fashion-mnist} as a library call: writes {@code images.npy},
     * {@code classes.npy}, {@code tasks.csv} (for {@code probe --tasks}, under C_4),
     * {@code dataset.json} and {@code sheet.png} of {@code fashion} into {@code dir}, each atomically.
     */
    public static ShapesDataset writeFashion(Path dir, FashionMnist.Images fashion) throws IOException {
        ShapesDataset data = ShapesDataset.unlabelled(fashion.images(), fashion.count(), noShapeLabels(dir));
        // A replaced shapes folder's labels would otherwise sit beside images they do not describe.
        Files.deleteIfExists(dir.resolve(LABELS));
        Files.deleteIfExists(dir.resolve(SHAPES));
        Npy.write(dir.resolve(IMAGES), data.imagesArray());
        Npy.write(dir.resolve(CLASSES), HostArray.ofInts(fashion.classes(), fashion.count()));
        ClassTasks.write(dir.resolve(TASKS), fashion.classes(), FashionMnist.CLASS_NAMES.size(), CyclicGroup.C4.order());
        // Nothing is drawn (the first images in file order), so the seed is none; the inputs are the idx files.
        DatasetInfo info = new DatasetInfo(FASHION_SOURCE, Orientations.UPRIGHT.id(), data.size(), null, data.distinctImages(), BuildInfo.version(),
                Provenance.onHost("esae's idx reader (the images are framed on the host)", 1, 0,
                        List.of(fashion.imagesFile(), fashion.labelsFile())),
                fashion.split().id(), FashionMnist.FRAME, FashionMnist.CLASS_NAMES);
        AtomicFiles.writeString(dir.resolve(INFO), Json.pretty(info));
        writeSheet(dir, data);
        return data;
    }

    /** {@code sheet.png}: the first 64 images. */
    private static void writeSheet(Path dir, ShapesDataset data) throws IOException {
        List<byte[]> first = new ArrayList<>();
        for (int i = 0; i < Math.min(64, data.size()); i++) {
            first.add(data.image(i));
        }
        ContactSheet sheet = ContactSheet.of(first, ShapesDataset.SIZE, 8, 2, 4);
        Png.writeGray(dir.resolve(SHEET), sheet.pixels(), sheet.width(), sheet.height());
    }

    /** The line a request for shape labels gets from a folder that has none. */
    private static String noShapeLabels(Path dir) {
        return dir + ": holds Fashion-MNIST images, which have no shape labels (" + LABELS + "); its tasks are in "
                + dir.resolve(TASKS) + " for 'esae probe --tasks'";
    }

    /**
     * Reads and checks the images and labels of a dataset folder, and that its {@code dataset.json}
     * (when there: folders of older versions have none) agrees with the labels' orientations. A
     * folder whose {@code dataset.json} names another source than the shapes (Fashion-MNIST) gives
     * its images without shape labels.
     */
    public static ShapesDataset read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": not a dataset folder (make one with 'esae dataset --out " + dir + "')");
        }
        Path images = dir.resolve(IMAGES);
        Path labels = dir.resolve(LABELS);
        DatasetInfo info = info(dir);
        if (info != null && info.source() != null && !SHAPES_SOURCE.equals(info.source())) {
            if (!FASHION_SOURCE.equals(info.source())) {
                throw new InputException(dir.resolve(INFO) + ": expected \"source\": \"" + SHAPES_SOURCE + "\" or \"" + FASHION_SOURCE
                        + "\", found \"" + info.source() + "\"");
            }
            return ShapesDataset.fromImages(Npy.read(images), images, noShapeLabels(dir));
        }
        ShapesDataset data = ShapesDataset.fromArrays(Npy.read(images), images, Npy.read(labels), labels);
        Orientations recorded = recordedOrientations(dir);
        if (recorded == Orientations.UPRIGHT && data.orientations() != Orientations.UPRIGHT) {
            throw new InputException(dir.resolve(INFO) + ": says the shapes are upright, but " + labels
                    + " holds orientations other than 0 (the folder mixes two datasets; make it again with 'esae dataset')");
        }
        return data;
    }

    /**
     * The orientations a dataset folder was drawn with: {@code dataset.json}'s when it has one,
     * else what its labels show (all orientations 0: upright).
     */
    public static Orientations orientations(Path dir) {
        Orientations recorded = recordedOrientations(dir);
        return recorded != null ? recorded : read(dir).orientations();
    }

    /** A dataset folder's {@code dataset.json}, or {@code null} when it has none (folders of older versions). */
    public static DatasetInfo info(Path dir) {
        Path file = dir.resolve(INFO);
        return Files.isRegularFile(file) ? Json.read(file, DatasetInfo.class, "a dataset record") : null;
    }

    /** {@code dataset.json}'s orientations, or {@code null} when the folder has no such file. */
    private static Orientations recordedOrientations(Path dir) {
        DatasetInfo info = info(dir);
        if (info == null) {
            return null;
        }
        Path file = dir.resolve(INFO);
        String o = info.orientations();
        Orientations or = o == null ? null : Orientations.fromId(o);
        if (or == null) {
            throw new InputException(file + ": expected \"orientations\": \"upright\" or \"random\", found " + InputException.printable(o));
        }
        return or;
    }

    /** Every shape (rows) in orientations 0..3 (columns); a shape with orbit 2 leaves 2 and 3 empty. */
    public static ContactSheet catalogSheet(ShapeCatalog catalog) {
        List<byte[]> tiles = new ArrayList<>();
        for (ShapeKind kind : ShapeKind.values()) {
            for (int o = 0; o < 4; o++) {
                tiles.add(o < kind.orbitSize() ? catalog.patch(kind.ordinal(), o) : null);
            }
        }
        return ContactSheet.of(tiles, ShapeCatalog.PATCH, 4, 4, 4);
    }
}
