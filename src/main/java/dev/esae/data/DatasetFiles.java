package dev.esae.data;

import dev.esae.io.Npy;
import dev.esae.io.Png;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a dataset folder: {@code images.npy}, {@code labels.npy}, {@code sheet.png} (the first
 * 64 images) and {@code shapes.png} (every shape in every orientation, one shape per row).
 */
public final class DatasetFiles {
    public static final String IMAGES = "images.npy";
    public static final String LABELS = "labels.npy";
    public static final String SHEET = "sheet.png";
    public static final String SHAPES = "shapes.png";

    private DatasetFiles() {}

    /** Writes all four files into {@code dir}, each atomically. */
    public static void write(Path dir, ShapesDataset data, ShapeCatalog catalog) throws IOException {
        Npy.write(dir.resolve(IMAGES), data.imagesArray());
        Npy.write(dir.resolve(LABELS), data.labelsArray());
        List<byte[]> first = new ArrayList<>();
        for (int i = 0; i < Math.min(64, data.size()); i++) {
            first.add(data.image(i));
        }
        ContactSheet sheet = ContactSheet.of(first, ShapesDataset.SIZE, 8, 2, 4);
        Png.writeGray(dir.resolve(SHEET), sheet.pixels(), sheet.width(), sheet.height());
        ContactSheet shapes = catalogSheet(catalog);
        Png.writeGray(dir.resolve(SHAPES), shapes.pixels(), shapes.width(), shapes.height());
    }

    /** Reads and checks the images and labels of a dataset folder. */
    public static ShapesDataset read(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new dev.esae.InputException(dir + ": not a dataset folder (make one with 'esae dataset --out " + dir + "')");
        }
        Path images = dir.resolve(IMAGES);
        Path labels = dir.resolve(LABELS);
        return ShapesDataset.fromArrays(Npy.read(images), images, Npy.read(labels), labels);
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
