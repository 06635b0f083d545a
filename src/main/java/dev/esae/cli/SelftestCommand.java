package dev.esae.cli;

import dev.esae.compute.Backend;
import dev.esae.compute.Backends;
import dev.esae.compute.check.OpCheck;
import dev.esae.compute.check.SelfTest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code esae selftest}: every operation of the chosen backend against the plain reference. */
@Command(name = "selftest",
        description = {"Check every backend operation against a plain reference.",
            "Runs each operation of the chosen backend on fresh random inputs of awkward sizes against a plain",
            "double-precision reference. Prints a table; exits 1 if any check fails."})
final class SelftestCommand extends Subcommand {
    @Override
    public Integer call() {
        PrintWriter out = out();
        Backends.Selection selection = root.openBackend();
        try (Backend backend = selection.backend()) {
            List<OpCheck> checks = SelfTest.run(backend, root.seed);
            out.printf(Locale.ROOT, "%-16s %-36s %12s %10s  %s%n", "op", "case", "error", "tolerance", "result");
            int failed = 0;
            for (OpCheck c : checks) {
                out.printf(Locale.ROOT, "%-16s %-36s %12.3e %10.1e  %s%n", c.op(), c.case_(), c.error(), c.tolerance(),
                        c.passed() ? "ok" : "FAIL");
                if (!c.passed()) {
                    failed++;
                }
            }
            out.printf(Locale.ROOT, "%d passed, %d failed (backend %s, seed %d)%n", checks.size() - failed, failed,
                    backend.name(), root.seed);
            return failed == 0 ? ExitCodes.OK : ExitCodes.INTERNAL;
        }
    }
}
