package org.brainfm.records;

/** Argument checks shared by the value types, so that a bad value fails where it is made, not in SQL. */
final class Check {
    private Check() {}

    static String name(String what, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(what + " is longer than " + maxLength + " characters: " + value);
        }
        return value;
    }

    static Double finiteOrNull(String what, Double value) {
        if (value == null || value.isNaN()) {
            return null;
        }
        if (value.isInfinite()) {
            throw new IllegalArgumentException(what + " is infinite; store the metric's worst finite value and a flag");
        }
        return value;
    }

    static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must be given");
        }
        return value;
    }
}
