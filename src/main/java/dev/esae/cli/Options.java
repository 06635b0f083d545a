package dev.esae.cli;

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
            int v;
            try {
                v = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a positive whole number, got '" + text + "'");
            }
            if (v < 1) {
                throw new CommandLine.TypeConversionException("expected a positive whole number, got " + v);
            }
            return v;
        }
    }

    /** A finite number > 0 (learning rates). */
    static final class PositiveFloat implements CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            float v;
            try {
                v = Float.parseFloat(text.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a positive finite number, got '" + text + "'");
            }
            if (!(v > 0) || !Float.isFinite(v)) {
                throw new CommandLine.TypeConversionException("expected a positive finite number, got " + v);
            }
            return v;
        }
    }
}
