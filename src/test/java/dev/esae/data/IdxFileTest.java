package dev.esae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.InputException;
import dev.esae.testutil.IdxFiles;
import dev.esae.testutil.Python;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idx reader against numpy's reading of the same bytes (a file numpy writes, and the package's
 * own files where installed), every kind of bad file, and the 64×64 frame (exact under quarter turns).
 */
class IdxFileTest {
    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        return IdxFiles.gz(magic, dims, data);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void readsWhatNumpyWritesAndReadsTheSame() throws Exception {
        Python.assumeNumpy();
        Path images = dir.resolve("images-idx3-ubyte.gz");
        Path labels = dir.resolve("labels-idx1-ubyte.gz");
        // numpy writes the files (struct's big-endian header) and reads them back as the reference.
        String out = Python.check("""
                import gzip, hashlib, struct, numpy as np
                rng = np.random.default_rng(5)
                x = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
                y = rng.integers(0, 10, size=7, dtype=np.uint8)
                with gzip.open('%s', 'wb') as f:
                    f.write(struct.pack('>IIII', 0x803, 7, 28, 28) + x.tobytes())
                with gzip.open('%s', 'wb') as f:
                    f.write(struct.pack('>II', 0x801, 7) + y.tobytes())
                raw = gzip.open('%s', 'rb').read()
                magic, n, r, c = struct.unpack('>IIII', raw[:16])
                back = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, r, c)
                assert (back == x).all()
                print(n, r, c, hashlib.sha256(back.tobytes()).hexdigest(), ' '.join(map(str, y)), int(back[3, 5, 9]))
                """.formatted(images, labels, images));
        String[] f = out.strip().split(" ");
        IdxFile im = IdxFile.readImages(images);
        assertArrayEquals(new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])}, im.dims());
        assertEquals(f[3], sha256(im.data()), "the same bytes as numpy's reading");
        assertEquals(Integer.parseInt(f[f.length - 1]), im.data()[(3 * 28 + 5) * 28 + 9] & 0xff, "row-major [n, r, c]");
        IdxFile lab = IdxFile.readLabels(labels);
        assertArrayEquals(new int[] {7}, lab.dims());
        for (int i = 0; i < 7; i++) {
            assertEquals(Integer.parseInt(f[4 + i]), lab.data()[i] & 0xff);
        }
    }

    @Test
    void readsThePackagesFilesAsNumpyDoes() throws Exception {
        Path d = FashionMnist.PACKAGE_DIR;
        assumeTrue(Files.isDirectory(d), d + " is missing (apt-get install dataset-fashion-mnist): skipping the check on the real files");
        Python.assumeNumpy();
        for (FashionMnist.Split s : FashionMnist.Split.values()) {
            Path images = d.resolve(s.imagesName());
            Path labels = d.resolve(s.labelsName());
            String out = Python.check("""
                    import gzip, hashlib, numpy as np
                    x = np.frombuffer(gzip.open('%s', 'rb').read(), dtype=np.uint8, offset=16)
                    y = np.frombuffer(gzip.open('%s', 'rb').read(), dtype=np.uint8, offset=8)
                    print(x.size // 784, hashlib.sha256(x.tobytes()).hexdigest(), hashlib.sha256(y.tobytes()).hexdigest(), np.bincount(y).tolist())
                    """.formatted(images, labels));
            String[] f = out.strip().split(" ", 4);
            IdxFile im = IdxFile.readImages(images);
            IdxFile lab = IdxFile.readLabels(labels);
            assertEquals(Integer.parseInt(f[0]), im.count());
            assertEquals(s == FashionMnist.Split.TRAIN ? 60000 : 10000, im.count());
            assertEquals(f[1], sha256(im.data()), s.id() + " images");
            assertEquals(f[2], sha256(lab.data()), s.id() + " labels");
            int[] counts = new int[10];
            for (byte b : lab.data()) {
                counts[b]++;
            }
            assertEquals(f[3].replace(" ", ""), Arrays.toString(counts).replace(" ", ""), "classes are balanced as numpy counts them");
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static String fails(Runnable r) {
        return assertThrows(InputException.class, r::run).getMessage();
    }

    @Test
    void badFilesAreOneLineNamingTheFileAndWhatWasExpected() throws IOException {
        byte[] pixels = new byte[3 * 28 * 28];
        new SplittableRandom(1).nextBytes(pixels);
        byte[] good = idx(IdxFile.IMAGES_MAGIC, new int[] {3, 28, 28}, pixels);

        String m = fails(() -> IdxFile.readImages(dir.resolve("absent.gz")));
        assertTrue(m.contains("absent.gz: file not found (expected a gzip-compressed idx file of images, magic 0x00000803)"), m);

        Path labelsAsImages = write("labels.gz", idx(IdxFile.LABELS_MAGIC, new int[] {3}, new byte[3]));
        m = fails(() -> IdxFile.readImages(labelsAsImages));
        assertTrue(m.contains("labels.gz: has magic number 0x00000801; expected a gzip-compressed idx file of images, magic 0x00000803"), m);

        Path wrongMagic = write("wrong-magic.gz", idx(0x12345678, new int[] {3, 28, 28}, pixels));
        m = fails(() -> IdxFile.readImages(wrongMagic));
        assertTrue(m.contains("has magic number 0x12345678"), m);

        byte[] uncompressed = new byte[16 + pixels.length];
        ByteBuffer.wrap(uncompressed).putInt(IdxFile.IMAGES_MAGIC).putInt(3).putInt(28).putInt(28);
        Path plain = write("plain", uncompressed);
        m = fails(() -> IdxFile.readImages(plain));
        assertTrue(m.contains("plain: not a readable gzip file"), m);

        // Fewer pixels than the header's sizes, written as a whole gzip stream: the idx data is truncated.
        Path shortData = write("short.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {3, 28, 28}, Arrays.copyOf(pixels, 1000)));
        m = fails(() -> IdxFile.readImages(shortData));
        assertTrue(m.contains("short.gz: is truncated: its header's sizes [3, 28, 28] need 2352 bytes of data, the file holds 1000"), m);

        Path shortHeader = write("header.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {3}, new byte[0]));
        m = fails(() -> IdxFile.readImages(shortHeader));
        assertTrue(m.contains("header.gz: is truncated: it ends inside dimension 1 of the header"), m);

        // The gzip stream itself cut short (a partial download).
        Path cut = write("cut.gz", Arrays.copyOf(good, good.length / 2));
        m = fails(() -> IdxFile.readImages(cut));
        assertTrue(m.contains("cut.gz: the gzip stream is truncated"), m);

        Path extra = write("extra.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {3, 28, 28}, Arrays.copyOf(pixels, pixels.length + 5)));
        m = fails(() -> IdxFile.readImages(extra));
        assertTrue(m.contains("extra.gz: holds bytes after the 2352 that its header's sizes [3, 28, 28] account for"), m);

        // A header claiming ~2 GiB in a file of a few bytes is refused as truncated, without allocating it.
        Path huge = write("huge.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {2_700_000, 28, 28}, new byte[10]));
        m = fails(() -> IdxFile.readImages(huge));
        assertTrue(m.contains("need 2116800000 bytes of data, the file holds 10"), m);
        Path tooBig = write("too-big.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {60000, 60000, 28}, new byte[10]));
        m = fails(() -> IdxFile.readImages(tooBig));
        assertTrue(m.contains("need more than 2 GiB"), m);
        Path negative = write("negative.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[10]));
        m = fails(() -> IdxFile.readImages(negative));
        assertTrue(m.contains("gives dimension 0 as 4294967295"), m);

        IdxFile read = IdxFile.readImages(write("good.gz", good));
        assertArrayEquals(new int[] {3, 28, 28}, read.dims());
        assertArrayEquals(pixels, read.data());
    }

    @Test
    void splitsWithDisagreeingCountsOrBadLabelsAreRefused() throws IOException {
        Path d = Files.createDirectories(dir.resolve("idx"));
        FashionMnist.Split s = FashionMnist.Split.TRAIN;
        Files.write(d.resolve(s.imagesName()), idx(IdxFile.IMAGES_MAGIC, new int[] {4, 28, 28}, new byte[4 * 784]));
        Files.write(d.resolve(s.labelsName()), idx(IdxFile.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3}));
        String m = fails(() -> FashionMnist.load(d, s, null));
        assertTrue(m.contains("train-labels-idx1-ubyte.gz: holds 3 labels, but " + d.resolve(s.imagesName()) + " holds 4 images"), m);
        Files.write(d.resolve(s.labelsName()), idx(IdxFile.LABELS_MAGIC, new int[] {4}, new byte[] {1, 2, 10, 3}));
        m = fails(() -> FashionMnist.load(d, s, null));
        assertTrue(m.contains("item 2 has label 10; expected a class 0 to 9"), m);
        Files.write(d.resolve(s.labelsName()), idx(IdxFile.LABELS_MAGIC, new int[] {4}, new byte[] {1, 2, 9, 3}));
        assertEquals(4, FashionMnist.load(d, s, null).count());
        assertEquals(2, FashionMnist.load(d, s, 2).count());
        m = fails(() -> FashionMnist.load(d, s, 5));
        assertTrue(m.contains("--n 5: expected 1 to 4"), m);
        Files.write(d.resolve(s.imagesName()), idx(IdxFile.IMAGES_MAGIC, new int[] {4, 32, 32}, new byte[4 * 1024]));
        m = fails(() -> FashionMnist.load(d, s, null));
        assertTrue(m.contains("holds 32x32 images; expected Fashion-MNIST's 28x28"), m);
        m = fails(() -> FashionMnist.load(d, FashionMnist.Split.TEST, null));
        assertTrue(m.contains("t10k-images-idx3-ubyte.gz: not found: Fashion-MNIST is not installed there (apt-get install dataset-fashion-mnist"), m);
    }

    @Test
    void theFrameCopiesPixelsIntoCentredBlocksAndCommutesWithQuarterTurns() {
        byte[] src = new byte[2 * 28 * 28];
        new SplittableRandom(9).nextBytes(src);
        byte[] framed = FashionMnist.frame(src, 2);
        assertEquals(2 * 64 * 64, framed.length);
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < 64; r++) {
                for (int c = 0; c < 64; c++) {
                    boolean inside = r >= 4 && r < 60 && c >= 4 && c < 60;
                    byte want = inside ? src[i * 784 + ((r - 4) / 2) * 28 + (c - 4) / 2] : 0;
                    assertEquals(want, framed[i * 4096 + r * 64 + c], "image " + i + " pixel (" + r + ", " + c + ")");
                }
            }
        }
        // Turning the 28x28 image and then framing it is turning the framed image: g acts exactly.
        byte[] one = Arrays.copyOf(src, 784);
        byte[] framedOne = FashionMnist.frame(one, 1);
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(CyclicGroup.C4.actOnImage(framedOne, 64, p), FashionMnist.frame(CyclicGroup.C4.actOnImage(one, 28, p), 1), "g^" + p);
        }
    }
}
