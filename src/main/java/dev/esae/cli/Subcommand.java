package dev.esae.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What every esae subcommand shares: the root command's global options and its output streams. */
// Subclasses inherit these attributes; picocli-codegen needs @Command on a class with @Spec.
@Command(mixinStandardHelpOptions = true, sortOptions = false)
abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    EsaeCommand root;

    @Spec
    CommandSpec spec;

    /** Standard output (results). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
