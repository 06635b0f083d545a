package dev.esae.cli;

import dev.esae.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code esae --version}: esae's version and the git commit it was built from, and the versions of the libraries it bundles. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "esae " + BuildInfo.version() + " (git " + BuildInfo.get("git_commit") + ")",
            "OpenBLAS " + BuildInfo.get("openblas") + ", OpenCV " + BuildInfo.get("opencv") + ", JCuda "
                    + BuildInfo.get("jcuda") + ", XGBoost4J " + BuildInfo.get("xgboost") + ", picocli " + BuildInfo.get("picocli"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
