package org.brainfm.metrics;

import java.util.Locale;

/** Why a score is not an ordinary value; records store it beside the value. */
public enum Flag {
    /** An ordinary value. */
    OK,
    /** Prediction and reference are both empty: scored as a perfect answer. */
    BOTH_EMPTY,
    /** The prediction is empty but the reference is not: worst value. */
    EMPTY_PREDICTION,
    /** The reference is empty but the prediction is not: worst value. */
    EMPTY_REFERENCE,
    /** No prediction was delivered for the case: worst value. */
    MISSING,
    /** The prediction holds NaN or another unusable value: treated as the worst value. */
    INVALID,
    /** The metric has no value here (one class only, zero variance): NaN, left out of aggregates. */
    UNDEFINED;

    /** The lower-case name records and JSON use, e.g. {@code empty_prediction}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
