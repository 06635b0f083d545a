package dev.esae.io;

import dev.esae.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One writer per output folder: an OS lock on {@code .esae.lock} in the folder, held until the
 * command that took it ends (the OS drops it if the process dies), and the holder's process id in
 * the file so a second writer can be told who it is. Locks are released in the reverse order they
 * were taken, down to a mark, so a study that runs its steps in the same JVM keeps its own lock
 * while each step takes and gives back its folder's; the marks are per thread, for steps that run
 * side by side.
 */
public final class FolderLock {
    /** The lock file's name; dot-prefixed, so listings and digests of a folder's outputs leave it out. */
    public static final String FILE = ".esae.lock";

    private record Held(Path dir, FileChannel channel, FileLock lock) {}

    /** Per thread: a study's steps side by side each take and give back their own folder's lock. */
    private static final ThreadLocal<Deque<Held>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

    private FolderLock() {}

    /** Locks {@code dir} (which exists) for this process, or an {@link InputException} naming the process that holds it. */
    public static synchronized void acquire(Path dir, String option) {
        Path file = dir.resolve(FILE);
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            real = dir.toAbsolutePath().normalize();
        }
        for (Held h : HELD.get()) {
            if (h.dir().equals(real)) {
                return;  // this command already holds it (a command may prepare its folder twice)
            }
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new InputException(option + " " + dir + ": another esae process" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + " is writing to this folder; wait for it to finish, or choose another folder");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            HELD.get().push(new Held(real, ch, lock));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new InputException(option + " " + dir + ": cannot lock the folder (" + e.getMessage() + ")");
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
    }

    /** How many locks are held now: the mark {@link #releaseTo} gives back down to. */
    public static synchronized int mark() {
        return HELD.get().size();
    }

    /** Releases the locks taken since {@code mark}, newest first. */
    public static synchronized void releaseTo(int mark) {
        while (HELD.get().size() > mark) {
            Held h = HELD.get().pop();
            try {
                h.lock().release();
            } catch (IOException ignored) {
                // The channel's close below releases it too.
            }
            closeQuietly(h.channel());
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }

    /** Whether {@code file} is the lock file (for a check that a folder holds nothing). */
    public static boolean isLockFile(Path file) {
        return file.getFileName() != null && file.getFileName().toString().equals(FILE);
    }
}
