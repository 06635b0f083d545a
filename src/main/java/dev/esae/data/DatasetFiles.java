package dev.esae.data;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.io.AtomicFiles;
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
 * and {@code shapes.png} (every shape in every orientation, one shape per row).
 */
public final class DatasetFiles {
    public static final String IMAGES = "images.npy";
    public static final String LABELS = "labels.npy";
    public static final String INFO = "dataset.json";
    public static final String SHEET = "sheet.png";
    public static final String SHAPES = "shapes.png";

    private DatasetFiles() {}

    /** {@code esae dataset} as a library call: draws {@code n} images from {@code seed} and writes the folder {@code dir}. */
    public static ShapesDataset draw(Path dir, int n, long seed, Orientations orientations) throws IOException {
        ShapeCatalog catalog = ShapeCatalog.draw();
        ShapesDataset data = ShapesDataset.generate(n, seed, catalog, orientations);
        write(dir, data, catalog, seed);
        return data;
    }

    /** Writes all five files into {@code dir}, each atomically; {@code seed} is the draw's, for dataset.json. */
    public static void write(Path dir, ShapesDataset data, ShapeCatalog catalog, long seed) throws IOException {
        Npy.write(dir.resolve(IMAGES), data.imagesArray());
        Npy.write(dir.resolve(LABELS), data.labelsArray());
        DatasetInfo info = new DatasetInfo("shapes", data.orientations().id(), data.size(), seed, data.distinctImages(), BuildInfo.version(),
                Provenance.onHost("OpenCV " + BuildInfo.get("opencv") + " (the images are drawn on the host)", 1, seed, List.of()));
        AtomicFiles.writeString(dir.resolve(INFO), Json.pretty(info));
        List<byte[]> first = new ArrayList<>();
        for (int i = 0; i < Math.min(64, data.size()); i++) {
            first.add(data.image(i));
        }
        ContactSheet sheet = ContactSheet.of(first, ShapesDataset.SIZE, 8, 2, 4);
        Png.writeGray(dir.resolve(SHEET), sheet.pixels(), sheet.width(), sheet.height());
        ContactSheet shapes = catalogSheet(catalog);
        Png.writeGray(dir.resolve(SHAPES), shapes.pixels(), shapes.width(), shapes.height());
    }

    /**
     * Reads and checks the images and labels of a dataset folder, and that its {@code dataset.json}
     * (when there: folders of older versions have none) agrees with the labels' orientations.
     */
    public static ShapesDataset read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": not a dataset folder (make one with 'esae dataset --out " + dir + "')");
        }
        Path images = dir.resolve(IMAGES);
        Path labels = dir.resolve(LABELS);
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
