package dev.esae.io;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Writes grayscale pictures as PNG (encoded by OpenCV, written atomically). */
public final class Png {
    private Png() {}

    /** Writes a {@code width × height} grayscale image (row-major bytes, 0..255) to {@code file}. */
    public static void writeGray(Path file, byte[] pixels, int width, int height) throws IOException {
        AtomicFiles.write(file, encodeGray(pixels, width, height));
    }

    /** A {@code width × height} grayscale image (row-major bytes, 0..255) encoded as PNG bytes. */
    public static byte[] encodeGray(byte[] pixels, int width, int height) throws IOException {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " image");
        }
        try (Mat m = new Mat(height, width, CV_8UC1); BytePointer encoded = new BytePointer()) {
            m.data().put(pixels);
            if (!imencode(".png", m, encoded)) {
                throw new IOException("OpenCV could not encode a " + width + "x" + height + " image as PNG");
            }
            byte[] bytes = new byte[(int) encoded.limit()];
            encoded.get(bytes);
            return bytes;
        }
    }
}
