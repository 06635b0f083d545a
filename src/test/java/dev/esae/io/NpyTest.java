package dev.esae.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.InputException;
import dev.esae.testutil.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    private final SplittableRandom rng = new SplittableRandom(42);

    @Test
    void roundTripsEveryDtype() throws IOException {
        float[] f = new float[3 * 5 * 7];
        double[] d = new double[11];
        int[] i = new int[4 * 4];
        long[] l = {Long.MIN_VALUE, -1, 0, 3, Long.MAX_VALUE};
        byte[] b = new byte[2 * 64 * 64];
        for (int k = 0; k < f.length; k++) {
            f[k] = (float) rng.nextGaussian();
        }
        f[0] = Float.NaN;
        f[1] = Float.NEGATIVE_INFINITY;
        f[2] = -0.0f;
        for (int k = 0; k < d.length; k++) {
            d[k] = rng.nextGaussian() * 1e300;
        }
        for (int k = 0; k < i.length; k++) {
            i[k] = rng.nextInt();
        }
        rng.nextBytes(b);

        Npy.write(dir.resolve("f.npy"), HostArray.ofFloats(f, 3, 5, 7));
        Npy.write(dir.resolve("d.npy"), HostArray.ofDoubles(d, 11));
        Npy.write(dir.resolve("i.npy"), HostArray.ofInts(i, 4, 4));
        Npy.write(dir.resolve("b.npy"), HostArray.ofUnsignedBytes(b, 2, 64, 64));
        Npy.write(dir.resolve("l.npy"), HostArray.ofLongs(l, 5));
        assertArrayEquals(l, Npy.read(dir.resolve("l.npy"), ElementType.INT64, 1).toLongs());

        HostArray rf = Npy.read(dir.resolve("f.npy"));
        assertEquals(ElementType.FLOAT32, rf.dtype());
        assertArrayEquals(new int[] {3, 5, 7}, rf.shape());
        assertArrayEquals(f, rf.toFloats());
        HostArray rd = Npy.read(dir.resolve("d.npy"));
        assertArrayEquals(new int[] {11}, rd.shape());
        assertArrayEquals(d, rd.toDoubles());
        assertArrayEquals(i, Npy.read(dir.resolve("i.npy"), ElementType.INT32, 2).toInts());
        assertArrayEquals(b, Npy.read(dir.resolve("b.npy")).toUnsignedBytes());
    }

    @Test
    void headerIsVersion1PaddedTo64Bytes() {
        byte[] h = Npy.header(ElementType.FLOAT32, new int[] {10000, 4, 256});
        assertEquals(0, h.length % 64);
        assertEquals(1, h[6]);
        assertEquals('\n', h[h.length - 1]);
        String text = new String(h, 10, h.length - 10, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (10000, 4, 256), }"), text);
        String one = new String(Npy.header(ElementType.UINT8, new int[] {5}), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(one.contains("'shape': (5,)"), one);
    }

    @Test
    void readsWhatNumpyWrites() throws IOException {
        Python.assumeNumpy();
        String d = dir.toString().replace("\\", "/");
        Python.check(String.join("\n",
                "import numpy as np",
                "rng = np.random.default_rng(7)",
                "np.save('" + d + "/f32.npy', rng.standard_normal((3, 4, 5)).astype(np.float32))",
                "np.save('" + d + "/f64.npy', rng.standard_normal((6,)))",
                "np.save('" + d + "/i32.npy', np.arange(-12, 12, dtype=np.int32).reshape(2, 3, 4))",
                "np.save('" + d + "/i64.npy', np.array([0, 3, 1, 2]))",
                "np.save('" + d + "/u8.npy', (np.arange(2 * 64 * 64) % 256).astype(np.uint8).reshape(2, 64, 64))",
                "with open('" + d + "/v2.npy', 'wb') as fh:",
                "    np.lib.format.write_array(fh, np.arange(10, dtype=np.float32), version=(2, 0))",
                "np.save('" + d + "/scalar.npy', np.float64(2.5))"));
        String out = Python.check(String.join("\n",
                "import numpy as np",
                "for name in ['f32', 'f64', 'i32']:",
                "    a = np.load('" + d + "/' + name + '.npy')",
                "    print(name, ' '.join(repr(float(x)) for x in a.ravel()))"));
        for (String line : out.strip().split("\n")) {
            String[] parts = line.split(" ");
            double[] expected = Arrays.stream(parts).skip(1).mapToDouble(Double::parseDouble).toArray();
            HostArray a = Npy.read(dir.resolve(parts[0] + ".npy"));
            double[] got = switch (parts[0]) {
                case "f32" -> toDouble(a.toFloats());
                case "f64" -> a.toDoubles();
                default -> Arrays.stream(a.toInts()).asDoubleStream().toArray();
            };
            assertArrayEquals(expected, got, 0.0, parts[0]);
        }
        assertArrayEquals(new int[] {3, 4, 5}, Npy.read(dir.resolve("f32.npy")).shape());
        HostArray u8 = Npy.read(dir.resolve("u8.npy"));
        assertArrayEquals(new int[] {2, 64, 64}, u8.shape());
        assertEquals(200, u8.toUnsignedBytes()[200] & 0xff);
        assertEquals(255, u8.toUnsignedBytes()[4095 - 3840] & 0xff);
        assertArrayEquals(new long[] {0, 3, 1, 2}, Npy.read(dir.resolve("i64.npy")).toLongs(), "numpy's default int");
        HostArray v2 = Npy.read(dir.resolve("v2.npy"));
        assertEquals(9f, v2.toFloats()[9]);
        HostArray scalar = Npy.read(dir.resolve("scalar.npy"));
        assertEquals(0, scalar.rank());
        assertEquals(2.5, scalar.toDoubles()[0]);
    }

    @Test
    void numpyReadsWhatEsaeWrites() throws IOException {
        Python.assumeNumpy();
        float[] f = {1.5f, -2f, 3.25f, 0f, 7f, -8.5f};
        Npy.write(dir.resolve("ours.npy"), HostArray.ofFloats(f, 2, 3));
        Npy.write(dir.resolve("labels.npy"), HostArray.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 4, 2));
        String out = Python.check(String.join("\n",
                "import numpy as np",
                "a = np.load('" + dir.resolve("ours.npy") + "')",
                "l = np.load('" + dir.resolve("labels.npy") + "')",
                "print(a.dtype, a.shape, a.sum(), a[1, 2], l.dtype, l.shape, l[0, 3, 1])"));
        assertEquals("float32 (2, 3) 1.25 -8.5 int32 (1, 4, 2) 8", out.strip());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** A file with a hand-written header, for the refusal cases. */
    private Path withHeader(String name, String dict, int dataBytes) throws IOException {
        byte[] dictBytes = dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int len = dictBytes.length + 1;
        byte[] file = new byte[10 + len + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (len & 0xff), (byte) (len >> 8)};
        System.arraycopy(magic, 0, file, 0, 10);
        System.arraycopy(dictBytes, 0, file, 10, dictBytes.length);
        file[10 + dictBytes.length] = '\n';
        Path p = dir.resolve(name);
        Files.write(p, file);
        return p;
    }

    private static void assertRefused(Path file, String expectedFragment) {
        InputException e = assertThrows(InputException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), "message says '" + expectedFragment + "': " + e.getMessage());
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        assertRefused(withHeader("be.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8), "big-endian");
        assertRefused(withHeader("c8.npy", "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16), "'<c8' is not supported");
        assertRefused(withHeader("i2.npy", "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", 4), "uint8, int32, int64, float32, float64");
        assertRefused(withHeader("fo.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16), "Fortran order");
        assertRefused(withHeader("short.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", 40), "truncated");
        assertRefused(withHeader("long.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 20), "8 bytes after the data");
        assertRefused(withHeader("struct.npy", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", 12), "no 'descr'");
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, this is not numpy");
        assertRefused(notNpy, "magic");
        Path empty = dir.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        assertRefused(empty, "ends inside");
        assertRefused(dir.resolve("missing.npy"), "file not found");
        Npy.write(dir.resolve("ok.npy"), HostArray.ofInts(new int[] {1, 2}, 2));
        InputException e = assertThrows(InputException.class, () -> Npy.read(dir.resolve("ok.npy"), ElementType.FLOAT32, 2));
        assertTrue(e.getMessage().contains("expected a float32 array of rank 2, found int32[2]"), e.getMessage());
    }

    /** Found by NpyFuzzTest (crash-ba5741dc...): the message quoted the header's dtype with its newline, two lines. */
    @Test
    void aDtypeWithANewlineIsQuotedOnOneLine() throws IOException {
        Path f = withHeader("nl.npy", "{'descr': '|\nu1', 'fortran_order': False, 'shape': (2,), }", 2);
        InputException e = assertThrows(InputException.class, () -> Npy.read(f));
        assertEquals(f + ": not a readable .npy array: dtype '|\\nu1' is not supported; expected one of uint8, int32, int64, float32,"
                + " float64", e.getMessage());
    }

    /**
     * A shape whose byte count wraps around to 0 (2^30 · 2^30 · 2 float64s = 2^64 bytes) was read from a
     * file with no data: an array of 2^61 elements holding none, which ActivationSet then failed on with an
     * IllegalArgumentException.
     */
    @Test
    void aShapeWhoseByteCountOverflowsIsRefused() throws IOException {
        Path f = withHeader("wrap.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824, 1073741824, 2), }", 0);
        assertRefused(f, "its shape [1073741824, 1073741824, 2] of float64 has more than 2^63 bytes");
        Path acts = withHeader("acts.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1073741824, 1073741824, 4), }", 0);
        InputException e = assertThrows(InputException.class, () -> dev.esae.equivariance.ActivationSet.read(acts, null));
        assertTrue(e.getMessage().startsWith(acts + ": not a readable .npy array"), e.getMessage());
    }

    /** A header length is checked against the file before its buffer is allocated (here 1 MiB for a 20-byte file). */
    @Test
    void aHeaderLongerThanTheFileIsRefusedBeforeItIsRead() throws IOException {
        Path f = dir.resolve("claims.npy");
        Files.write(f, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 16, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', '\n'});
        assertRefused(f, "it ends inside the header (it claims 1048576 bytes, the file has 8 after the preamble)");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("keep.npy");
        Npy.write(target, HostArray.ofInts(new int[] {1, 2, 3}, 3));
        byte[] before = Files.readAllBytes(target);
        dev.esae.InputException e = assertThrows(dev.esae.InputException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[1000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(target + ": cannot be written (No space left on device)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
