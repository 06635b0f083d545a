package dev.esae.cli;

import dev.esae.compute.Backend;
import dev.esae.compute.Backends;
import dev.esae.compute.DeviceChoice;
import dev.esae.compute.check.OpCheck;
import dev.esae.compute.check.SelfTest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code esae selftest}: every operation of the chosen backend against the plain reference, and,
 * for a GPU backend, against the CPU backend on the same inputs.
 */
@Command(name = "selftest",
        description = {"Check every backend operation against a plain reference (and a GPU against the CPU).",
            "Runs each operation of the chosen backend on fresh random inputs of awkward sizes against a plain",
            "double-precision reference; on a GPU, also against the CPU backend on the same inputs. Prints a",
            "table; exits 1 if any check fails."})
final class SelftestCommand extends Subcommand {
    @Override
    public Integer call() {
        PrintWriter out = out();
        Backends.Selection selection = root.openBackend();
        try (Backend backend = selection.backend()) {
            List<OpCheck> checks = SelfTest.run(backend, root.seed);
            List<OpCheck> versusCpu = null;
            if (!"cpu".equals(backend.name())) {
                try (Backend cpu = Backends.select(DeviceChoice.CPU, root.threads()).backend()) {
                    versusCpu = SelfTest.compare(checks, SelfTest.run(cpu, root.seed));
                }
            }
            if (versusCpu == null) {
                out.printf(Locale.ROOT, "%-16s %-36s %12s %10s  %s%n", "op", "case", "error", "tolerance", "result");
            } else {
                out.printf(Locale.ROOT, "%-16s %-36s %12s %12s %10s  %s%n", "op", "case", "vs reference", "vs cpu",
                        "tolerance", "result");
            }
            int failed = 0;
            for (int i = 0; i < checks.size(); i++) {
                OpCheck c = checks.get(i);
                boolean passed = c.passed() && (versusCpu == null || versusCpu.get(i).passed());
                if (versusCpu == null) {
                    out.printf(Locale.ROOT, "%-16s %-36s %12.3e %10.1e  %s%n", c.op(), c.case_(), c.error(), c.tolerance(),
                            passed ? "ok" : "FAIL");
                } else {
                    out.printf(Locale.ROOT, "%-16s %-36s %12.3e %12.3e %10.1e  %s%n", c.op(), c.case_(), c.error(),
                            versusCpu.get(i).error(), c.tolerance(), passed ? "ok" : "FAIL");
                }
                if (!passed) {
                    failed++;
                }
            }
            out.printf(Locale.ROOT, "%d passed, %d failed (backend %s%s, seed %d)%n", checks.size() - failed, failed,
                    backend.name(), versusCpu == null ? "" : ", also against the cpu backend", root.seed);
            return failed == 0 ? ExitCodes.OK : ExitCodes.INTERNAL;
        }
    }
}
