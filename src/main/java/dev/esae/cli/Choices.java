package dev.esae.cli;

import dev.esae.base.Architecture;
import dev.esae.data.DatasetSource;
import dev.esae.data.FashionMnist;
import dev.esae.data.Orientations;
import dev.esae.equivariance.TransformSolver;
import dev.esae.sae.ExportFormat;
import dev.esae.sae.SaeKind;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The typed options that name one of a few choices ({@code --kind}, {@code --arch},
 * {@code --preset}, {@code --solver}, export's {@code --format}, {@code --orientations}, dataset's {@code --source} and {@code --split}, bench's {@code --stage}): picocli converts them by these
 * converters, case-insensitively, and a value that is none of them gets one line naming the option
 * and the choices (see {@link Main}).
 */
final class Choices {
    private Choices() {}

    /** Registers a converter for every choice type on {@code cl} and its subcommands. */
    static void register(CommandLine cl) {
        cl.registerConverter(SaeKind.class, of(List.of(SaeKind.values()), SaeKind::id));
        cl.registerConverter(Architecture.class, of(List.of(Architecture.values()), Architecture::id));
        cl.registerConverter(Orientations.class, of(List.of(Orientations.values()), Orientations::id));
        cl.registerConverter(DatasetSource.class, of(List.of(DatasetSource.values()), DatasetSource::id));
        cl.registerConverter(FashionMnist.Split.class, of(List.of(FashionMnist.Split.values()), FashionMnist.Split::id));
        cl.registerConverter(TransformSolver.class, of(List.of(TransformSolver.values()), TransformSolver::id));
        cl.registerConverter(Preset.class, of(Preset.ALL, Preset::name));
        cl.registerConverter(ExportFormat.class, of(List.of(ExportFormat.values()), ExportFormat::id));
        cl.registerConverter(BenchCommand.Stage.class, of(List.of(BenchCommand.Stage.values()), BenchCommand.Stage::id));
    }

    /** A converter to one of {@code values}, by {@code id} ignoring case. */
    static <T> CommandLine.ITypeConverter<T> of(List<T> values, Function<T, String> id) {
        return text -> {
            for (T v : values) {
                if (id.apply(v).equalsIgnoreCase(text.strip())) {
                    return v;
                }
            }
            throw new CommandLine.TypeConversionException("expected " + list(values.stream().map(id).toList()) + ", got '" + text + "'");
        };
    }

    /** "a, b or c". */
    static String list(List<String> ids) {
        if (ids.size() == 1) {
            return ids.get(0);
        }
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
    }
}
