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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * (padded with spaces to a multiple of 8 bytes) naming each tensor's dtype, shape and byte range,
 * then the little-endian data. Types: F32, F64, I32, I64, U8.
 */
public final class SafeTensors {
    /** The tensors of a file, in file order, and its {@code __metadata__}. */
    public record Contents(Map<String, HostArray> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /**
         * The tensor called {@code name}, checked for type and shape; an {@link InputException}
         * naming {@code file} if it is missing or differs.
         */
        public HostArray require(Path file, String name, ElementType type, int... shape) {
            HostArray a = tensors.get(name);
            if (a == null) {
                throw new InputException(file + ": has no tensor '" + name + "' (it holds "
                        + tensors.keySet().stream().map(InputException::printable).toList() + ")");
            }
            if (a.dtype() != type || !java.util.Arrays.equals(a.shape(), shape)) {
                throw new InputException(file + ": tensor '" + name + "' is " + a.describe() + ", expected "
                        + type.numpyName() + java.util.Arrays.toString(shape));
            }
            return a;
        }
    }

    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** The metadata key prefix of a tensor's SHA-256 (hex of its bytes), written by esae and checked on every read. */
    public static final String DIGEST = "esae.sha256.";

    /**
     * Writes tensors (in the map's order) and metadata to {@code file} atomically, with the SHA-256
     * of each tensor's bytes in the metadata ({@link #DIGEST}), so a flipped byte is found on reading.
     */
    public static void write(Path file, Map<String, HostArray> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        // Sorted, an order every JVM agrees on (Map.of's is salted per process).
        Map<String, String> meta = new java.util.TreeMap<>(metadata);
        for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
            meta.put(DIGEST + e.getKey(), sha256(e.getValue().rawData()));
        }
        if (!meta.isEmpty()) {
            header.put("__metadata__", meta);
        }
        long offset = 0;
        List<ByteBuffer> data = new ArrayList<>();
        for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is not a tensor name");
            }
            HostArray a = e.getValue();
            ByteBuffer b = a.rawData();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", a.dtype().safetensorsName());
            List<Object> shape = new ArrayList<>();
            for (int s : a.shape()) {
                shape.add(s);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + b.remaining()));
            header.put(e.getKey(), info);
            offset += b.remaining();
            data.add(b);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) {
            head[i] = ' ';
        }
        AtomicFiles.write(file, out -> {
            out.write(head);
            byte[] chunk = new byte[1 << 16];
            for (ByteBuffer b : data) {
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        });
    }

    /** Reads a whole safetensors file; an {@link InputException} naming the file on any problem. */
    @SuppressWarnings("unchecked")
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long headerLen = headerLength(ch, file);
            Map<String, Object> header = header(ch, file, headerLen);
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            if (dataLen > Integer.MAX_VALUE - 16) {
                throw bad(file, "it holds " + dataLen + " bytes of data; esae reads files of at most 2 GiB");
            }
            ByteBuffer all = ByteBuffer.allocate((int) dataLen).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, all, dataStart);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, HostArray> tensors = new LinkedHashMap<>();
            List<Span> spans = new ArrayList<>();
            long covered = 0;
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    metadata(file, e.getValue(), metadata);
                    continue;
                }
                if (!(e.getValue() instanceof Map<?, ?> info)) {
                    throw bad(file, "the entry of tensor '" + InputException.printable(e.getKey()) + "' is not an object");
                }
                HostArray a = tensor(file, e.getKey(), (Map<String, Object>) info, all, spans);
                covered += (long) a.size() * a.dtype().itemSize();
                tensors.put(e.getKey(), a);
            }
            // The format wants the data section tiled: no overlaps (two names for one set of bytes), no holes.
            spans.sort(java.util.Comparator.comparingLong(Span::begin).thenComparingLong(Span::end));
            Span last = null;
            for (Span s : spans) {
                if (s.end() == s.begin()) {
                    continue;  // an empty tensor holds no bytes, wherever it points
                }
                if (last != null && s.begin() < last.end()) {
                    throw bad(file, "tensors '" + InputException.printable(last.name()) + "' and '" + InputException.printable(s.name())
                            + "' overlap (data_offsets [" + last.begin() + ", " + last.end() + "] and [" + s.begin() + ", " + s.end()
                            + "])");
                }
                last = s;
            }
            if (covered != dataLen) {
                throw bad(file, "its tensors cover " + covered + " bytes of the " + dataLen + " in the data section"
                        + " (a truncated or padded file)");
            }
            // Files from other tools carry no digest and load as they are.
            for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
                String want = metadata.get(DIGEST + e.getKey());
                if (want != null && !want.equals(sha256(e.getValue().rawData()))) {
                    throw new InputException(file + ": tensor '" + InputException.printable(e.getKey())
                            + "' is corrupted (its bytes do not match the SHA-256 written with it)");
                }
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found (expected a .safetensors file)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String sha256(ByteBuffer bytes) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(bytes.duplicate());
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code file} whole and throws its {@link InputException} if it is missing, truncated or
     * corrupt: a command calls it on each input before it opens a backend, so that a bad file is
     * reported on one line before any work starts.
     */
    public static void verify(Path file) {
        read(file);
    }

    /**
     * Only the {@code __metadata__} of a file, reading its header and not its tensors (e.g. a
     * checkpoint's training config, checked before a resume).
     */
    public static Map<String, String> readMetadata(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Object> header = header(ch, file, headerLength(ch, file));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata(file, header.get("__metadata__"), metadata);
            return metadata;
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found (expected a .safetensors file)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static long headerLength(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(file, "it is shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long headerLen = lenBuf.flip().getLong();
        if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > size) {
            throw bad(file, "its header length " + headerLen + " does not fit a file of " + size + " bytes");
        }
        return headerLen;
    }

    private static Map<String, Object> header(FileChannel ch, Path file, long headerLen) throws IOException {
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, 8);
        try {
            return Json.parseObject(new String(hb.array(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw bad(file, "its header is not a JSON object (" + e.getMessage() + ")");
        }
    }

    /** Copies a header's {@code __metadata__} object (null: none) into {@code into}, checking its values are strings. */
    private static void metadata(Path file, Object value, Map<String, String> into) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(file, "its __metadata__ is not an object");
        }
        for (Map.Entry<?, ?> me : m.entrySet()) {
            if (!(me.getValue() instanceof String sv)) {
                throw bad(file, "metadata '" + InputException.printable(me.getKey()) + "' is not a string");
            }
            into.put((String) me.getKey(), sv);
        }
    }

    /** Where a tensor's bytes are in the data section. */
    private record Span(String name, long begin, long end) {}

    private static HostArray tensor(Path file, String name, Map<String, Object> info, ByteBuffer all, List<Span> spans) {
        String where = "tensor '" + InputException.printable(name) + "'";
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw bad(file, where + " has no dtype");
        }
        ElementType type = ElementType.fromSafetensors(dtypeName);
        if (type == null) {
            throw bad(file, where + " has dtype " + InputException.printable(dtypeName) + "; esae reads F32, F64, I32, I64 and U8");
        }
        if (!(info.get("shape") instanceof List<?> shapeList)) {
            throw bad(file, where + " has no shape");
        }
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw bad(file, where + " has a shape that is not a list of sizes: " + InputException.printable(shapeList));
            }
            shape[i] = (int) (long) l;
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw bad(file, where + " has no [begin, end] data_offsets");
        }
        long expected;
        try {
            // Exact: a product that wraps around (to 0, say) would match any data_offsets.
            expected = Math.multiplyExact(HostArray.count(shape), (long) type.itemSize());
        } catch (ArithmeticException ex) {
            throw bad(file, where + " has a shape too large: " + shapeList);
        }
        if (begin < 0 || end < begin || end > all.capacity()) {
            throw bad(file, where + " has data_offsets [" + begin + ", " + end + "] outside the " + all.capacity()
                    + "-byte data section (truncated file?)");
        }
        if (end - begin != expected) {
            throw bad(file, where + " spans " + (end - begin) + " bytes, but shape " + shapeList + " of " + dtypeName
                    + " needs " + expected);
        }
        spans.add(new Span(name, begin, end));
        ByteBuffer slice = all.duplicate().position((int) (long) begin).limit((int) (long) end).slice();
        return new HostArray(type, shape, slice);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            p += n;
        }
    }

    private static InputException bad(Path file, String why) {
        return new InputException(file + ": not a readable safetensors file: " + why);
    }
}
