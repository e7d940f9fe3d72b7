package org.brainfm.metrics;

/**
 * An aggregate with its bootstrap 95 % confidence interval (percentile method).
 *
 * @param value              the statistic on all cases (mean of per-case values, or the metric on the whole set)
 * @param low                2.5th percentile of the bootstrap distribution
 * @param high               97.5th percentile of the bootstrap distribution
 * @param cases              cases that entered the statistic
 * @param excludedCases      cases left out because their value is undefined (NaN)
 * @param resamples          bootstrap resamples drawn
 * @param undefinedResamples resamples on which the statistic was undefined, left out of the interval
 * @param seed               the seed the resamples were drawn with
 */
public record Summary(double value, double low, double high, int cases, int excludedCases, int resamples,
                      int undefinedResamples, long seed) {}
