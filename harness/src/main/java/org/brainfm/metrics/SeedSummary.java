package org.brainfm.metrics;

/**
 * A metric over an entry's finetuning seeds with its two-level bootstrap 95 % interval
 * ({@link SeedBootstrap}).
 *
 * @param mean               mean over the seeds of each seed's value on all its cases
 * @param sd                 sample standard deviation over the seeds (n - 1); NaN for one seed
 * @param seeds              seeds whose value is defined, the n of the mean
 * @param low                2.5th percentile of the two-level bootstrap distribution
 * @param high               97.5th percentile
 * @param resamples          bootstrap resamples drawn
 * @param undefinedResamples resamples on which a drawn seed's value was undefined, left out
 * @param seed               the RNG seed the resamples were drawn with
 */
public record SeedSummary(double mean, double sd, int seeds, double low, double high, int resamples,
        int undefinedResamples, long seed) {}
