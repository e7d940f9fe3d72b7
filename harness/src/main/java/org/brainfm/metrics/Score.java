package org.brainfm.metrics;

/**
 * One metric value with its flag. A flagged value is still the value to aggregate (the worst
 * value for a missing or invalid prediction), except {@link Flag#UNDEFINED}, which is NaN.
 */
public record Score(double value, Flag flag) {
    public Score {
        if (flag == Flag.UNDEFINED != Double.isNaN(value)) {
            throw new IllegalArgumentException("a score is NaN exactly when it is undefined: " + value + " " + flag);
        }
    }

    public static Score of(double value) {
        return new Score(value, Flag.OK);
    }

    public static Score undefined() {
        return new Score(Double.NaN, Flag.UNDEFINED);
    }

    public boolean defined() {
        return flag != Flag.UNDEFINED;
    }
}
