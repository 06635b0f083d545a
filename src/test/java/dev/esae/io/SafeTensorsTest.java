package dev.esae.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.InputException;
import dev.esae.testutil.Python;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Map<String, HostArray> sample() {
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("W_enc", HostArray.ofFloats(new float[] {1.5f, -2f, 0.25f, 3f, Float.NaN, -0f}, 2, 3));
        t.put("b", HostArray.ofDoubles(new double[] {Math.PI, -1e-300, 7}, 3));
        t.put("idx", HostArray.ofInts(new int[] {-1, 0, Integer.MAX_VALUE}, 3));
        t.put("steps", HostArray.ofLongs(new long[] {Long.MAX_VALUE}, 1));
        t.put("mask", HostArray.ofUnsignedBytes(new byte[] {0, (byte) 255, 7}, 3, 1));
        return t;
    }

    @Test
    void aFlippedByteInAnyTensorIsFoundAndNamed() throws IOException {
        Path f = dir.resolve("state.safetensors");
        SafeTensors.write(f, sample(), Map.of("format", "pt"));
        byte[] good = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, Object> header = Json.parseObject(new String(good, 8, (int) headerLen, java.nio.charset.StandardCharsets.UTF_8).strip());
        for (String name : List.of("W_enc", "b", "idx", "steps", "mask")) {
            // The last byte of the tensor's own bytes.
            long end = (Long) ((List<?>) ((Map<?, ?>) header.get(name)).get("data_offsets")).get(1);
            byte[] bad = good.clone();
            bad[(int) (8 + headerLen + end - 1)] ^= 0x10;
            Files.write(f, bad);
            dev.esae.InputException e = assertThrows(dev.esae.InputException.class, () -> SafeTensors.read(f));
            assertEquals(f + ": tensor '" + name + "' is corrupted (its bytes do not match the SHA-256 written with it)", e.getMessage());
        }
    }

    @Test
    void roundTripsEveryTypeAndTheMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of("format", "pt", "arch", "mlp"));
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("W_enc", "b", "idx", "steps", "mask"), List.copyOf(c.tensors().keySet()));
        assertEquals("mlp", c.metadata().get("arch"));
        assertEquals(c.metadata(), SafeTensors.readMetadata(f), "the header alone gives the same metadata");
        Map<String, HostArray> s = sample();
        assertArrayEquals(s.get("W_enc").toFloats(), c.require(f, "W_enc", ElementType.FLOAT32, 2, 3).toFloats());
        assertArrayEquals(s.get("b").toDoubles(), c.tensors().get("b").toDoubles());
        assertArrayEquals(s.get("idx").toInts(), c.tensors().get("idx").toInts());
        assertArrayEquals(s.get("steps").toLongs(), c.tensors().get("steps").toLongs());
        assertArrayEquals(s.get("mask").toUnsignedBytes(), c.tensors().get("mask").toUnsignedBytes());
        InputException e = assertThrows(InputException.class, () -> c.require(f, "W_enc", ElementType.FLOAT32, 3, 2));
        assertTrue(e.getMessage().contains("tensor 'W_enc' is float32[2, 3], expected float32[3, 2]"), e.getMessage());
        assertThrows(InputException.class, () -> c.require(f, "W_dec", ElementType.FLOAT32, 2, 3));
    }

    @Test
    void readsAFileFromAnIndependentWriterAndItReadsOurs() throws IOException {
        Python.assumeNumpy();
        Path theirs = dir.resolve("theirs.safetensors");
        // A safetensors writer in a few lines of python: header JSON, space padding, raw bytes.
        Python.check(String.join("\n",
                "import json, struct, numpy as np",
                "ts = {'a': np.arange(6, dtype='<f4').reshape(2, 3) / 4, 'n': np.array([[-3, 5]], dtype='<i8'),",
                "      'd': np.array([0.1, 0.2], dtype='<f8'), 'i': np.array([7], dtype='<i4'), 'u': np.array([1, 250], dtype='u1')}",
                "names = {'float32': 'F32', 'int64': 'I64', 'float64': 'F64', 'int32': 'I32', 'uint8': 'U8'}",
                "header, blobs, off = {'__metadata__': {'who': 'python'}}, [], 0",
                "for k in sorted(ts):",
                "    b = ts[k].tobytes(); header[k] = {'dtype': names[ts[k].dtype.name], 'shape': list(ts[k].shape), 'data_offsets': [off, off + len(b)]}",
                "    blobs.append(b); off += len(b)",
                "h = json.dumps(header).encode(); h += b' ' * (-len(h) % 8)",
                "open('" + theirs + "', 'wb').write(struct.pack('<Q', len(h)) + h + b''.join(blobs))"));
        SafeTensors.Contents c = SafeTensors.read(theirs);
        assertEquals("python", c.metadata().get("who"));
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, c.require(theirs, "a", ElementType.FLOAT32, 2, 3).toFloats());
        assertArrayEquals(new long[] {-3, 5}, c.require(theirs, "n", ElementType.INT64, 1, 2).toLongs());
        assertArrayEquals(new double[] {0.1, 0.2}, c.tensors().get("d").toDoubles());
        assertArrayEquals(new int[] {7}, c.tensors().get("i").toInts());
        assertEquals(250, c.tensors().get("u").toUnsignedBytes()[1] & 0xff);

        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.write(ours, sample(), Map.of("k", "v"));
        String out = Python.check(String.join("\n",
                "import json, struct, numpy as np",
                "raw = open('" + ours + "', 'rb').read()",
                "n = struct.unpack('<Q', raw[:8])[0]; h = json.loads(raw[8:8 + n]); data = raw[8 + n:]",
                "types = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4', 'I64': '<i8', 'U8': 'u1'}",
                "def get(k):",
                "    e = h[k]; b, c = e['data_offsets']",
                "    return np.frombuffer(data[b:c], dtype=types[e['dtype']]).reshape(e['shape'])",
                "print(h['__metadata__']['k'], get('W_enc')[1, 0], get('b')[0], get('idx')[2], get('steps')[0], get('mask')[1, 0], len(data))"));
        assertEquals("v 3.0 3.141592653589793 2147483647 9223372036854775807 255 " + (24 + 24 + 12 + 8 + 3), out.strip());
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static void assertRefused(Path f, String fragment) {
        InputException e = assertThrows(InputException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void refusesBrokenFiles() throws IOException {
        assertRefused(raw("f16.st", "{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "dtype F16");
        assertRefused(raw("short.st", "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "outside the 8-byte data section");
        assertRefused(raw("size.st", "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12");
        assertRefused(raw("gap.st", "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "cover 4 bytes of the 8");
        assertRefused(raw("json.st", "{\"x\":{\"dtype\":\"F32\",", 0), "not a JSON object");
        Path tiny = dir.resolve("tiny.st");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertRefused(tiny, "shorter than the 8-byte header length");
        Path huge = dir.resolve("huge.st");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertRefused(huge, "does not fit");
        assertRefused(dir.resolve("missing.safetensors"), "file not found");
    }

    /** A shape whose byte count wraps around to 0 (2^61 float64s) matched data_offsets [0, 0], and read as an array holding none. */
    @Test
    void aShapeWhoseByteCountOverflowsIsRefused() throws IOException {
        assertRefused(raw("wrap.st", "{\"x\":{\"dtype\":\"F64\",\"shape\":[1073741824,1073741824,2],\"data_offsets\":[0,0]}}", 0),
                "tensor 'x' has a shape too large: [1073741824, 1073741824, 2]");
    }

    /** Two tensors on the same bytes, with as many bytes again unused, added up to the data section and were read. */
    @Test
    void overlappingTensorsAreRefused() throws IOException {
        assertRefused(raw("overlap.st", "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 16),
                "tensors 'x' and 'y' overlap (data_offsets [0, 8] and [4, 12])");
        // Empty tensors take no bytes, wherever they point.
        Path empty = raw("empty.st", "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", 8);
        assertEquals(List.of("x", "e"), List.copyOf(SafeTensors.read(empty).tensors().keySet()));
    }

    /** A tensor name with a newline (JSON's \n) broke the message's line. */
    @Test
    void aNameWithANewlineIsQuotedOnOneLine() throws IOException {
        Path f = raw("nl.st", "{\"a\\nb\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
        InputException e = assertThrows(InputException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": not a readable safetensors file: tensor 'a\\nb' has dtype F16; esae reads F32, F64, I32, I64 and U8",
                e.getMessage());
    }
}
