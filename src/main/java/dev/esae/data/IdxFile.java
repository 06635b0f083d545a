package dev.esae.data;

import dev.esae.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A gzip-compressed idx file of unsigned bytes (LeCun's MNIST format, which Fashion-MNIST keeps):
 * a big-endian magic {@code 0x0000 08 r} (type 0x08 = ubyte, r dimensions), r big-endian 32-bit
 * sizes, then the bytes row-major. Every size is checked against the bytes the file really holds:
 * the data buffer grows only as bytes arrive, so a header that claims more than the file has costs
 * no allocation, and a bad file is an {@link InputException} naming it and what was expected.
 *
 * @param file where it was read from
 * @param dims the sizes of its dimensions (e.g. count, rows, columns)
 * @param data the bytes, row-major
 */
public record IdxFile(Path file, int[] dims, byte[] data) {
    /** Magic of an idx file of images: ubyte, three dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an idx file of labels: ubyte, one dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Arrays of at most 2 GiB, as Java's byte arrays allow. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    /** Reads an idx file of images ({@link #IMAGES_MAGIC}): dims {@code [count, rows, columns]}. */
    public static IdxFile readImages(Path file) {
        return read(file, IMAGES_MAGIC, "images");
    }

    /** Reads an idx file of labels ({@link #LABELS_MAGIC}): dims {@code [count]}. */
    public static IdxFile readLabels(Path file) {
        return read(file, LABELS_MAGIC, "labels");
    }

    /** The number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Reads {@code file} and checks that its magic is {@code magic}; {@code what} names the content in messages. */
    public static IdxFile read(Path file, int magic, String what) {
        String expected = String.format("expected a gzip-compressed idx file of %s, magic 0x%08X", what, magic);
        try (InputStream raw = Files.newInputStream(file); InputStream in = new GZIPInputStream(raw, 1 << 16)) {
            int found = readInt(in, file, "the magic number", expected);
            if (found != magic) {
                throw new InputException(String.format("%s: has magic number 0x%08X; %s (%s)", file, found, expected, describe(magic)));
            }
            int rank = magic & 0xff;
            int[] dims = new int[rank];
            long bytes = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = readInt(in, file, "dimension " + d + " of the header", expected);
                if (dims[d] < 0) {
                    throw new InputException(file + ": header gives dimension " + d + " as " + (dims[d] & 0xffffffffL)
                            + ", more than an idx file can hold (" + expected + ")");
                }
                bytes *= dims[d];
                if (bytes > MAX_BYTES) {
                    throw new InputException(file + ": header sizes " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                            + " need more than 2 GiB; esae reads idx files of at most 2 GiB");
                }
            }
            byte[] data = readData(in, (int) bytes, file, dims);
            if (in.read() != -1) {
                throw new InputException(file + ": holds bytes after the " + bytes + " that its header's sizes " + Arrays.toString(dims)
                        + " account for (" + expected + ")");
            }
            return new IdxFile(file, dims, data);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found (" + expected + ")");
        } catch (ZipException e) {
            throw new InputException(file + ": not a readable gzip file (" + e.getMessage() + "; " + expected + ")");
        } catch (EOFException e) {
            // GZIPInputStream's own EOF: the compressed stream stops mid-block.
            throw new InputException(file + ": the gzip stream is truncated (" + expected + ")");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Words for a magic number, e.g. "ubyte, 3 dimensions". */
    private static String describe(int magic) {
        return "ubyte, " + (magic & 0xff) + (((magic & 0xff) == 1) ? " dimension" : " dimensions");
    }

    /** One big-endian 32-bit integer of the header; a file that ends first is truncated. */
    private static int readInt(InputStream in, Path file, String what, String expected) throws IOException {
        byte[] b = new byte[4];
        if (in.readNBytes(b, 0, 4) < 4) {
            throw new InputException(file + ": is truncated: it ends inside " + what + " (" + expected + ")");
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** The data, in a buffer that grows (doubling) only as bytes arrive, up to the {@code bytes} the header gives. */
    private static byte[] readData(InputStream in, int bytes, Path file, int[] dims) throws IOException {
        byte[] buf = new byte[Math.min(bytes, 1 << 20)];
        int got = 0;
        while (got < bytes) {
            if (got == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(bytes, 2L * buf.length));
            }
            int r = in.read(buf, got, buf.length - got);
            if (r < 0) {
                throw new InputException(file + ": is truncated: its header's sizes " + Arrays.toString(dims) + " need " + bytes
                        + " bytes of data, the file holds " + got);
            }
            got += r;
        }
        return buf;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile other && file.equals(other.file) && Arrays.equals(dims, other.dims) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxFile[" + file + ", " + Arrays.toString(dims) + "]";
    }
}
