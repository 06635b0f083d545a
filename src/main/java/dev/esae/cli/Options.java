package dev.esae.cli;

import java.util.function.Function;
import picocli.CommandLine;

/**
 * The numeric options' converters: a value out of range is refused while the command line is
 * parsed, with one line naming the option ({@code "--epochs: expected a positive whole number, got
 * 0"}, see {@link Main}), before any input is read.
 */
final class Options {
    private Options() {}

    /** A whole number >= 1 (epochs, batch sizes, counts). */
    static final class PositiveInt implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return positive(text, Integer::parseInt, "a positive whole number");
        }
    }

    /** A finite number > 0 (learning rates). */
    static final class PositiveFloat implements CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            return positive(text, Float::parseFloat, "a positive finite number");
        }
    }

    /** A finite number >= 0 (seconds). */
    static final class NonNegativeDouble implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            double v;
            try {
                v = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a number >= 0, got '" + text + "'");
            }
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new CommandLine.TypeConversionException("expected a finite number >= 0, got " + v);
            }
            return v;
        }
    }

    private static <T extends Number> T positive(String text, Function<String, T> parse, String what) {
        T v;
        try {
            v = parse.apply(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected " + what + ", got '" + text + "'");
        }
        if (!(v.doubleValue() > 0) || !Double.isFinite(v.doubleValue())) {
            throw new CommandLine.TypeConversionException("expected " + what + ", got " + v);
        }
        return v;
    }
}
