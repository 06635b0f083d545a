package dev.esae.compute.cuda;

import dev.esae.cli.Main;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several esae command lines in one JVM, in order, separated by {@code ";"} among the
 * arguments; stops at the first that fails and exits with its code. The emulated-driver tests use
 * it to pay for one JVM start (and one JCuda initialisation) instead of one per command.
 */
public final class CommandSequence {
    private CommandSequence() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        List<String> current = new ArrayList<>();
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add(";");
        for (String a : all) {
            if (!a.equals(";")) {
                current.add(a);
                continue;
            }
            if (!current.isEmpty()) {
                int code = Main.execute(out, err, current.toArray(String[]::new));
                if (code != 0) {
                    System.exit(code);
                }
                current.clear();
            }
        }
        System.exit(0);
    }
}
