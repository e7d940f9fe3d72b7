package org.brainfm.metrics;

/** A test set's regression scores; {@code invalidCases} counts non-finite predictions replaced by the worst. */
public record RegressionScores(Score mae, Score pearson, int invalidCases) {}
