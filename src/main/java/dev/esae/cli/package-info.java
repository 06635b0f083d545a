/**
 * The command line (picocli): one class per subcommand, the global options, progress bars, output
 * folder checks, and {@code reproduce}'s plan of steps. Commands parse and check options, run the
 * library and print; {@link dev.esae.InputException} becomes one line and exit code 2.
 */
package dev.esae.cli;
