package org.brainfm.metrics;

/** A test set's binary classification scores; {@code invalidCases} counts NaN scores replaced by the worst. */
public record ClassificationScores(Score auroc, Score accuracy, Score balancedAccuracy, Score f1,
                                   Score averagePrecision, int invalidCases) {}
