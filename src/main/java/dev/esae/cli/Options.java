package dev.esae.cli;

import dev.esae.InputException;

/** Checks on numeric option values, with the one-line messages users see. */
final class Options {
    private Options() {}

    static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new InputException(option + ": expected a positive whole number, got " + value);
        }
    }

    static void requirePositiveFinite(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InputException(option + ": expected a positive finite number, got " + value);
        }
    }
}
