package dev.esae.io;

import dev.esae.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes numpy's {@code .npy} format (versions 1.0, 2.0 and 3.0; little-endian, C order;
 * uint8, int32, int64, float32 and float64). Anything else is refused with an {@link InputException} that
 * names the file and says what was expected.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int HEADER_ALIGN = 64;

    private Npy() {}

    /** Reads a whole {@code .npy} file. */
    public static HostArray read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer pre = readFully(ch, 10, file, "the 10-byte preamble");
            byte[] magic = new byte[6];
            pre.get(magic);
            for (int i = 0; i < 6; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw bad(file, "it does not start with the .npy magic string \\x93NUMPY");
                }
            }
            int major = pre.get() & 0xff;
            int minor = pre.get() & 0xff;
            long headerLen;
            if (major == 1) {
                headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            } else if (major == 2 || major == 3) {
                ByteBuffer extra = readFully(ch, 2, file, "the header length");
                ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                len.put(pre.array(), 8, 2).put(extra).flip();
                headerLen = len.getInt() & 0xffffffffL;
            } else {
                throw bad(file, "format version " + major + "." + minor + " is not supported (expected 1.0, 2.0 or 3.0)");
            }
            if (headerLen > 1 << 20) {
                throw bad(file, "its header claims " + headerLen + " bytes, more than any real .npy header");
            }
            // Checked before the header's buffer is allocated: the claim may be anything up to 1 MiB.
            if (headerLen > fileSize - ch.position()) {
                throw bad(file, "it ends inside the header (it claims " + headerLen + " bytes, the file has "
                        + (fileSize - ch.position()) + " after the preamble)");
            }
            ByteBuffer hb = readFully(ch, (int) headerLen, file, "the header");
            String header = new String(hb.array(), major == 1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            ElementType dtype = parseDtype(file, header);
            int[] shape = parseShape(file, header);
            Matcher fortran = FORTRAN.matcher(header);
            if (!fortran.find()) {
                throw bad(file, "its header has no 'fortran_order'");
            }
            if (fortran.group(1).equals("True")) {
                throw bad(file, "it is stored in Fortran order; expected C order (save it with np.ascontiguousarray)");
            }
            long dataBytes;
            try {
                // Exact: a product that wraps around to the file's size would pass the checks below.
                dataBytes = Math.multiplyExact(HostArray.count(shape), (long) dtype.itemSize());
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw bad(file, "its shape " + java.util.Arrays.toString(shape) + " of " + dtype.numpyName() + " has more than 2^63 bytes");
            }
            long available = fileSize - ch.position();
            if (available < dataBytes) {
                throw bad(file, "it is truncated: shape " + java.util.Arrays.toString(shape) + " of "
                        + dtype.numpyName() + " needs " + dataBytes + " bytes of data, the file has " + available);
            }
            if (available > dataBytes) {
                throw bad(file, "it has " + (available - dataBytes) + " bytes after the data that shape "
                        + java.util.Arrays.toString(shape) + " of " + dtype.numpyName() + " accounts for");
            }
            if (dataBytes > Integer.MAX_VALUE - 16) {
                throw bad(file, "it holds " + dataBytes + " bytes; esae reads arrays of at most 2 GiB");
            }
            ByteBuffer data = readFully(ch, (int) dataBytes, file, "the data");
            return new HostArray(dtype, shape, data);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found (expected a .npy array)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Reads a file and checks its dtype and rank, with a clear message if either differs. */
    public static HostArray read(Path file, ElementType expectedType, int expectedRank) {
        HostArray a = read(file);
        if (a.dtype() != expectedType || a.rank() != expectedRank) {
            throw new InputException(file + ": expected a " + expectedType.numpyName() + " array of rank "
                    + expectedRank + ", found " + a.describe());
        }
        return a;
    }

    private static ElementType parseDtype(Path file, String header) {
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw bad(file, "its header has no 'descr' string (structured dtypes are not supported)");
        }
        String descr = m.group(1);
        ElementType t = ElementType.fromDescr(descr);
        if (t != null) {
            return t;
        }
        if (descr.startsWith(">") && ElementType.fromDescr("<" + descr.substring(1)) != null) {
            throw bad(file, "it is big-endian ('" + InputException.printable(descr)
                    + "'); expected little-endian (use arr.astype(arr.dtype.newbyteorder('<')))");
        }
        throw bad(file, "dtype '" + InputException.printable(descr) + "' is not supported; expected one of " + ElementType.supportedList());
    }

    private static int[] parseShape(Path file, String header) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw bad(file, "its header has no 'shape' tuple");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw bad(file, "its shape has a dimension " + v + " out of range");
                }
                dims.add((int) v);
            } catch (NumberFormatException e) {
                throw bad(file, "its shape '(" + InputException.printable(m.group(1)) + ")' is not a tuple of integers");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static ByteBuffer readFully(FileChannel ch, int n, Path file, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw bad(file, "it ends inside " + what + " (truncated or not a .npy file)");
            }
        }
        b.flip();
        return b;
    }

    private static InputException bad(Path file, String why) {
        return new InputException(file + ": not a readable .npy array: " + why);
    }

    /** The complete header block (magic, version, length, dict, padding) for an array. */
    static byte[] header(ElementType dtype, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                dims.append(shape.length == 1 ? "," : ", ");
            }
        }
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        // Version 1.0 has a 2-byte header length; fall back to 2.0 only when the header needs more.
        for (int major = 1; major <= 2; major++) {
            int preamble = major == 1 ? 10 : 12;
            int unpadded = preamble + dict.length() + 1;
            int total = (unpadded + HEADER_ALIGN - 1) / HEADER_ALIGN * HEADER_ALIGN;
            int headerLen = total - preamble;
            if (major == 1 && headerLen > 0xffff) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC).put((byte) major).put((byte) 0);
            if (major == 1) {
                b.putShort((short) headerLen);
            } else {
                b.putInt(headerLen);
            }
            b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
            while (b.position() < total - 1) {
                b.put((byte) ' ');
            }
            b.put((byte) '\n');
            return b.array();
        }
        throw new IllegalArgumentException("shape too long for a .npy header");
    }

    /** Writes an array to {@code file} atomically (temporary file, then rename). */
    public static void write(Path file, HostArray array) throws IOException {
        byte[] header = header(array.dtype(), array.shape());
        ByteBuffer data = array.rawData();
        AtomicFiles.write(file, out -> {
            out.write(header);
            byte[] chunk = new byte[1 << 16];
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        });
    }
}
