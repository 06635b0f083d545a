package dev.esae.data;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.line;

import dev.esae.compute.Rot90;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The 32×32 patch of every shape in every orientation. Each canonical patch is drawn once with
 * OpenCV (anti-aliased, sub-pixel coordinates); orientation o is that patch turned o times
 * clockwise by {@link Rot90}, so rotating an image moves pixels exactly, with no resampling.
 */
public final class ShapeCatalog {
    /** Side of one patch (a quadrant of the 64×64 image). */
    public static final int PATCH = 32;
    /** Fractional bits of OpenCV drawing coordinates (1/16 pixel). */
    private static final int SHIFT = 4;
    private static final double CENTER = (PATCH - 1) / 2.0;

    private final byte[][][] patches;

    private ShapeCatalog(byte[][][] patches) {
        this.patches = patches;
    }

    /** Draws every shape with OpenCV and derives its orientations. */
    public static ShapeCatalog draw() {
        byte[][][] all = new byte[ShapeKind.count()][][];
        for (ShapeKind kind : ShapeKind.values()) {
            byte[] canonical = drawCanonical(kind);
            byte[][] orientations = new byte[kind.orbitSize()][];
            for (int o = 0; o < kind.orbitSize(); o++) {
                orientations[o] = Rot90.rotate(canonical, PATCH, o);
            }
            all[kind.ordinal()] = orientations;
        }
        return new ShapeCatalog(all);
    }

    /** The patch of {@code shape} in {@code orientation} (row-major, 0..255); do not modify. */
    public byte[] patch(int shape, int orientation) {
        return patches[shape][orientation];
    }

    private static byte[] drawCanonical(ShapeKind kind) {
        try (Mat m = new Mat(PATCH, PATCH, CV_8UC1, Scalar.all(0))) {
            Scalar white = Scalar.all(255);
            switch (kind) {
                case TRIANGLE -> polygon(m, white, -10, 9, 0, -10, 10, 9);
                case L_SHAPE -> polygon(m, white, -8, -10, -3, -10, -3, 5, 9, 5, 9, 10, -8, 10);
                case T_SHAPE -> polygon(m, white, -10, -10, 10, -10, 10, -5, 2.5, -5, 2.5, 10, -2.5, 10, -2.5, -5, -10, -5);
                case ARROW -> polygon(m, white, -11, -2.5, 1, -2.5, 1, -8.5, 11, 0, 1, 8.5, 1, 2.5, -11, 2.5);
                // OpenCV measures angles clockwise from +x (y points down): 180..360 is the upper half.
                case HALF_DISC -> ellipse(m, point(0, 5), axes(11), 0, 180, 360, white, FILLED, LINE_AA, SHIFT);
                // A quarter-disc pie wedge with its apex at the top-left.
                case WEDGE -> ellipse(m, point(-9.5, -9.5), axes(20), 0, 0, 90, white, FILLED, LINE_AA, SHIFT);
                case BAR -> polygon(m, white, -11, -4, 11, -4, 11, 4, -11, 4);
                case DIAGONAL -> line(m, point(-10, -10), point(10, 10), white, 3, LINE_AA, SHIFT);
                default -> throw new IllegalStateException("no drawing for " + kind);
            }
            byte[] pixels = new byte[PATCH * PATCH];
            m.data().get(pixels);
            if (kind.orbitSize() == 2) {
                // Anti-aliasing is not exactly symmetric; the union with the half-turn makes the
                // orbit size exactly 2, pixel for pixel.
                byte[] turned = Rot90.rotate(pixels, PATCH, 2);
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) Math.max(pixels[i] & 0xff, turned[i] & 0xff);
                }
            }
            return pixels;
        }
    }

    /** Fills a polygon given as (x, y) pairs relative to the patch centre, in pixels. */
    private static void polygon(Mat m, Scalar color, double... xy) {
        int n = xy.length / 2;
        try (Mat pts = new Mat(n, 1, CV_32SC2); MatVector contours = new MatVector(pts); Point offset = new Point(0, 0)) {
            IntPointer p = new IntPointer(pts.data());
            for (int i = 0; i < n; i++) {
                p.put(2L * i, fixed(xy[2 * i]));
                p.put(2L * i + 1, fixed(xy[2 * i + 1]));
            }
            fillPoly(m, contours, color, LINE_AA, SHIFT, offset);
        }
    }

    private static Point point(double x, double y) {
        return new Point(fixed(x), fixed(y));
    }

    private static Size axes(double r) {
        int a = (int) Math.round(r * (1 << SHIFT));
        return new Size(a, a);
    }

    private static int fixed(double v) {
        return (int) Math.round((CENTER + v) * (1 << SHIFT));
    }
}
