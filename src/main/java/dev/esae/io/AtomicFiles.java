package dev.esae.io;

import dev.esae.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash never leaves a half-written one: the bytes go to a temporary file in
 * the same folder, are forced to disk, and the temporary file is then renamed over the target.
 */
public final class AtomicFiles {
    /** Writes the content of a file through an output stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    /** Temporaries being written now: an exit on a signal (System.exit, not a kill) removes them. */
    private static final java.util.Set<Path> IN_FLIGHT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Left for removeStale.
                }
            }
        }, "esae-temporaries"));
    }

    private AtomicFiles() {}

    /** The OS's reason ("No space left on device") rather than the path a FileSystemException repeats. */
    private static String cause(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.(\\d+)-\\d+\\.tmp");

    /**
     * Deletes the temporary files in {@code dir} that a killed process left behind (those whose
     * writer's process id no longer runs), returning how many; a live writer's are kept.
     */
    public static int removeStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                java.util.regex.Matcher m = TEMPORARY.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f) && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes whatever {@code writer} produces to {@code target} atomically. A write that fails (a
     * full disk, a read-only file system, a quota, an I/O error) is an {@link InputException}
     * naming the file and the cause: the target keeps its old content and no temporary is left.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A dot-prefixed temporary name in the same folder keeps the rename on one file system;
        // CREATE_NEW (not createTempFile, which makes mode 600) gives the file the usual permissions.
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + ".tmp");
        boolean moved = false;
        IN_FLIGHT.add(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                 OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new InputException(target + ": cannot be written (" + cause(e) + ")");
        } finally {
            IN_FLIGHT.remove(tmp);
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Left for removeStale, which deletes a dead writer's temporaries.
                }
            }
        }
    }
}
