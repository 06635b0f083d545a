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
            return checked(text, Integer::parseInt, v -> v > 0, "a positive whole number");
        }
    }

    /** A finite number > 0 (learning rates). */
    static final class PositiveFloat implements CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            return checked(text, Float::parseFloat, v -> v > 0, "a positive finite number");
        }
    }

    /** A finite number >= 0 (seconds). */
    static final class NonNegativeDouble implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return checked(text, Double::parseDouble, v -> v >= 0, "a finite number >= 0");
        }
    }

    /** {@code text} parsed, or the option's one line: not a number, not finite, or outside {@code inRange}. */
    private static <T extends Number> T checked(String text, Function<String, T> parse, java.util.function.DoublePredicate inRange,
            String what) {
        T v;
        try {
            v = parse.apply(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected " + what + ", got '" + text + "'");
        }
        if (!inRange.test(v.doubleValue()) || !Double.isFinite(v.doubleValue())) {
            throw new CommandLine.TypeConversionException("expected " + what + ", got " + v);
        }
        return v;
    }
}
