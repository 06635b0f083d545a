package dev.esae;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions recorded at build time (esae itself and the native libraries it bundles). */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        // esae.properties holds the versions Maven filters in; build-commit.properties the git commit
        // (scripts/build-commit.sh writes it at build time).
        for (String name : new String[] {"/dev/esae/esae.properties", "/dev/esae/build-commit.properties"}) {
            try (InputStream in = BuildInfo.class.getResourceAsStream(name)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    /** A recorded value, e.g. {@code version}, {@code git_commit}, {@code opencv}, {@code xgboost}; "unknown" if absent. */
    public static String get(String key) {
        return PROPS.getProperty(key, "unknown");
    }

    /** esae's own version. */
    public static String version() {
        return get("version");
    }
}
