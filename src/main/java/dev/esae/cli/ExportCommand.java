package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.sae.ExportFormat;
import dev.esae.sae.SaeExport;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae export}: an SAE folder in SAELens's or sparsify's layout, for loading where users work. */
@Command(name = "export",
        description = {"Writes a topk or wide SAE in the layout SAELens v6 (cfg.json + sae_weights.safetensors) or EleutherAI",
            "sparsify (cfg.json + sae.safetensors) loads; both compute esae's TopK forward on it. The other kinds have no",
            "equivalent there: python/esae_sae.py loads every kind's own folder (docs/SAE_FORMAT.md)."})
final class ExportCommand extends Subcommand {
    @Option(names = "--sae", paramLabel = "DIR", required = true, description = "An SAE folder (from 'esae train-sae').")
    Path sae;

    @Option(names = "--format", paramLabel = "saelens|sparsify", required = true, description = "The library to export for.")
    ExportFormat format;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        SaeKind kind = SaeFiles.readHeader(sae).kind();
        if (!ExportFormat.supports(kind)) {
            throw new InputException("--sae " + sae + ": the " + kind.id() + " kind has no " + format.library()
                    + " equivalent; load esae's own files with python/esae_sae.py (docs/SAE_FORMAT.md)");
        }
        SaeExport.Exported exported = SaeExport.prepare(sae, format);
        // Exporting into the SAE's own folder would replace its cfg.json (and, for SAELens, its weights).
        if (Files.isDirectory(output.out) && Files.isSameFile(output.out, sae)) {
            throw new InputException("--out " + output.out + ": is the --sae folder; export into another folder");
        }
        // An export is an SAE folder too: the same markers, so the same refusals of other kinds and of an existing one.
        Outputs.checkOutput(output.out, OutputKind.SAE, output.overwrite);
        for (ExportFormat other : ExportFormat.values()) {
            if (other != format && Files.exists(output.out.resolve(other.weightsFile()))) {
                throw new InputException("--out " + output.out + ": holds " + other.weightsFile() + " (an SAE in another layout), not a "
                        + format.library() + " export; choose another folder");
            }
        }
        Outputs.prepareFolder(output.out, "--out");
        exported.writeTo(output.out);
        out().println("wrote " + output.out.resolve(SaeFiles.CONFIG) + " and " + output.out.resolve(format.weightsFile()) + " ("
                + format.library() + ")");
        return ExitCodes.OK;
    }
}
