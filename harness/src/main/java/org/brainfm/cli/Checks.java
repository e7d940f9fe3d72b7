package org.brainfm.cli;

import org.brainfm.BrainfmException;

/** Checks of option values, each failing with the option's name and what it must be. */
final class Checks {
    private Checks() {}

    /** {@code value} when it is at least 1 (null passes: the option was not given). */
    static Integer positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new BrainfmException(option, "must be at least 1, not " + value);
        }
        return value;
    }

    /** {@code value} when it is a finite positive number. */
    static double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new BrainfmException(option, "must be a positive number, not " + value);
        }
        return value;
    }

    /** {@code value} when it lies in [0, 1]. */
    static double fraction(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new BrainfmException(option, "must be in [0, 1], not " + value);
        }
        return value;
    }

    /** A run id given as text (an option that also takes a word, such as {@code --init scratch}). */
    static long runId(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BrainfmException(option, "must be a run id (a number) or scratch, not '" + value + "'");
        }
    }
}
