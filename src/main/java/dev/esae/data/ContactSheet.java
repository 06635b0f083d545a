package dev.esae.data;

import java.util.Arrays;
import java.util.List;

/**
 * Lays square grayscale tiles out in a grid with thin separators, scaled up by an integer factor
 * with nearest-neighbour sampling so that pixels stay crisp.
 */
public final class ContactSheet {
    private static final byte SEPARATOR = (byte) 96;

    private final int width;
    private final int height;
    private final byte[] pixels;

    private ContactSheet(int width, int height, byte[] pixels) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /**
     * A grid of {@code columns} tiles per row; a {@code null} tile stays black. Every tile is
     * {@code tileSize × tileSize} bytes.
     */
    public static ContactSheet of(List<byte[]> tiles, int tileSize, int columns, int scale, int gap) {
        int rows = (tiles.size() + columns - 1) / columns;
        int cell = tileSize * scale;
        int w = columns * cell + (columns + 1) * gap;
        int h = rows * cell + (rows + 1) * gap;
        byte[] px = new byte[w * h];
        Arrays.fill(px, SEPARATOR);
        for (int t = 0; t < tiles.size(); t++) {
            int x0 = gap + (t % columns) * (cell + gap);
            int y0 = gap + (t / columns) * (cell + gap);
            byte[] tile = tiles.get(t);
            for (int y = 0; y < cell; y++) {
                for (int x = 0; x < cell; x++) {
                    px[(y0 + y) * w + x0 + x] = tile == null ? 0 : tile[(y / scale) * tileSize + x / scale];
                }
            }
        }
        return new ContactSheet(w, h, px);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Row-major grayscale pixels. */
    public byte[] pixels() {
        return pixels;
    }
}
