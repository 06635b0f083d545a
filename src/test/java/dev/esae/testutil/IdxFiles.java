package dev.esae.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Small gzip-compressed idx files for tests, good or bad (any magic, any header sizes, any amount of data). */
public final class IdxFiles {
    private IdxFiles() {}

    /** {@code magic}, then {@code dims} big-endian, then {@code data}, gzip-compressed. */
    public static byte[] gz(int magic, int[] dims, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(header.array());
            gz.write(data);
        }
        return bytes.toByteArray();
    }
}
