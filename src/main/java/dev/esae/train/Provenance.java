package dev.esae.train;

import dev.esae.BuildInfo;
import dev.esae.HostInfo;
import dev.esae.InputException;
import dev.esae.compute.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a config or result came from, saved in it under {@code "provenance"}: esae's version and
 * the git commit its jar was built from, the backend and the device it ran on (the real one: the
 * CPU model, or the GPU), its threads, Java and the OS, the seed, and the SHA-256 of each input
 * file (by the path given). No clock time is in it, so the same run writes the same bytes.
 *
 * @param inputs input path (as given on the command line) to the hex SHA-256 of its bytes, in the order given
 */
public record Provenance(String esaeVersion, String gitCommit, String backend, String device, int threads, String java,
        String os, long seed, Map<String, String> inputs) {
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    /** The provenance of work done now on {@code backend} with {@code seed} from {@code inputs} (null entries skipped). */
    public static Provenance of(Backend backend, long seed, List<Path> inputs) {
        String device = backend.name().equals("cpu") ? HostInfo.cpuModel() + cpuSimd() : backend.description();
        return of(backend.description(), device, backend.threads(), seed, inputs);
    }

    /** The provenance of work done on the host's CPU without a backend (the dataset, drawn by {@code what}). */
    public static Provenance onHost(String what, int threads, long seed, List<Path> inputs) {
        return of(what, HostInfo.cpuModel() + cpuSimd(), threads, seed, inputs);
    }

    private static Provenance of(String backend, String device, int threads, long seed, List<Path> inputs) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (Path p : inputs) {
            if (p != null) {
                sums.put(p.toString(), sha256(p));
            }
        }
        return new Provenance(BuildInfo.version(), BuildInfo.get("git_commit"), backend, device, threads,
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"), seed, sums);
    }

    private static String cpuSimd() {
        String f = HostInfo.cpuFlags();
        return f.isEmpty() ? "" : " (" + f + ")";
    }

    /**
     * The SHA-256 of a file (a folder: of its regular files' names and bytes, in name order, dot files left out). A study
     * hashes the same inputs many times; the hash is kept while the file's size and time are unchanged.
     */
    public static String sha256(Path file) {
        try {
            if (Files.isDirectory(file)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (var s = Files.list(file)) {
                    // Dot files are a folder's lock and temporaries, not its content.
                    for (Path f : s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                        md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                        md.update(HexFormat.of().parseHex(sha256(f)));
                    }
                }
                return HexFormat.of().formatHex(md.digest());
            }
            String key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            String cached = HASHES.get(key);
            if (cached != null) {
                return cached;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(file)) {
                for (int r; (r = in.read(buf)) > 0;) {
                    md.update(buf, 0, r);
                }
            }
            String hex = HexFormat.of().formatHex(md.digest());
            HASHES.put(key, hex);
            return hex;
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read to record its SHA-256 (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file a command without a JSON record of its own (probe, frontier) writes its provenance to, beside its outputs. */
    public static final String FILE = "provenance.json";

    /** The record {@link #FILE} holds: {@code {"provenance": {...}}}, the key every other record keeps it under. */
    public record Record(Provenance provenance) {}

    /** Writes {@code provenance} to {@link #FILE} in {@code dir} (after the outputs it describes, so it means they are complete). */
    public static void writeTo(Path dir, Provenance provenance) throws IOException {
        dev.esae.io.AtomicFiles.writeString(dir.resolve(FILE), dev.esae.io.Json.pretty(new Record(provenance)));
    }

    /**
     * The provenance in any JSON record esae writes (under {@code "provenance"}), or null when the file
     * is missing, unreadable or holds none.
     */
    public static Provenance recordedIn(Path record) {
        try {
            if (!Files.isRegularFile(record)) {
                return null;
            }
            Object p = dev.esae.io.Json.parseObject(Files.readString(record)).get("provenance");
            return p == null ? null : dev.esae.io.Json.bind(dev.esae.io.Json.write(p), Provenance.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The first input (by the path recorded) that is gone or whose bytes are no longer those
     * recorded, or null when every input is as it was: a step whose inputs changed is to run again.
     * A relative path is read from the working folder, as it was when recorded.
     */
    public String changedInput() {
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            Path f = Path.of(e.getKey());
            try {
                if (!Files.exists(f) || !sha256(f).equals(e.getValue())) {
                    return e.getKey();
                }
            } catch (RuntimeException ex) {
                return e.getKey();
            }
        }
        return null;
    }

    public Provenance {
        Objects.requireNonNull(inputs);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }
}
