package dev.esae.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One fuzz input as the files of a folder, separated by {@link #SEPARATOR} (an input with fewer
 * separators has its last files empty; an empty file is a missing one). A separator rather than
 * lengths, so that a mutation that makes one file longer or shorter leaves the others as they are.
 * The seed inputs are written the same way ({@link #join}).
 */
final class FuzzFiles {
    /** Between two files of one input; in the fuzz tests' dictionaries, so mutations can restore it. */
    static final String SEPARATOR = "--- next file ---";
    private static final byte[] SEP = SEPARATOR.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FuzzFiles() {}

    /** A fresh folder for one fuzz target's files, removed when the JVM exits. */
    static Path folder(String name) {
        try {
            Path dir = Files.createTempDirectory("esae-fuzz-" + name);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code parts} files packed into {@code data} (anything after the last separator belongs to the last file). */
    static List<byte[]> split(byte[] data, int parts) {
        List<byte[]> out = new ArrayList<>(parts);
        int at = 0;
        for (int i = 0; i < parts - 1; i++) {
            int next = indexOf(data, at);
            int end = next < 0 ? data.length : next;
            out.add(Arrays.copyOfRange(data, at, end));
            at = next < 0 ? data.length : next + SEP.length;
        }
        out.add(Arrays.copyOfRange(data, at, data.length));
        return out;
    }

    private static int indexOf(byte[] data, int from) {
        outer:
        for (int i = from; i <= data.length - SEP.length; i++) {
            for (int j = 0; j < SEP.length; j++) {
                if (data[i + j] != SEP[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Files packed as {@link #split} reads them. */
    static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.write(SEP, 0, SEP.length);
            }
            out.write(parts[i], 0, parts[i].length);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} as {@code dir/name}, or removes that file when {@code bytes} is empty; the bytes written. */
    static long put(Path dir, String name, byte[] bytes) {
        try {
            Path f = dir.resolve(name);
            if (bytes.length == 0) {
                Files.deleteIfExists(f);
            } else {
                Files.write(f, bytes);
            }
            return bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
