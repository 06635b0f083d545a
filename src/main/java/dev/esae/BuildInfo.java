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
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/esae/esae.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A recorded version, e.g. {@code version}, {@code opencv}, {@code xgboost}; "unknown" if absent. */
    public static String get(String key) {
        return PROPS.getProperty(key, "unknown");
    }

    /** esae's own version. */
    public static String version() {
        return get("version");
    }
}
