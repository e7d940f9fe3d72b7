package org.brainfm.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Seeded bootstrap confidence intervals, percentile method: resample the cases with
 * replacement, recompute the statistic, take the 2.5th and 97.5th percentiles (linear
 * interpolation) of the recomputed values. The same seed gives the same interval.
 */
public final class Bootstrap {
    public static final int DEFAULT_RESAMPLES = 1_000;
    /** The resample count FOMO25 used for its rank stability. */
    public static final int CHALLENGE_RESAMPLES = 10_000;
    public static final long DEFAULT_SEED = 20250923L;

    private Bootstrap() {}

    /**
     * The mean of per-case values with its interval. Undefined (NaN) values are left out
     * before resampling and counted in {@link Summary#excludedCases}; flagged worst values
     * are ordinary values here.
     */
    public static Summary mean(double[] perCase, int resamples, long seed) {
        double[] defined = Arrays.stream(perCase).filter(v -> !Double.isNaN(v)).toArray();
        Summary s = statistic(defined.length, idx -> {
            double sum = 0;
            for (int i : idx) {
                sum += defined[i];
            }
            return sum / idx.length;
        }, resamples, seed);
        return new Summary(s.value(), s.low(), s.high(), s.cases(), perCase.length - defined.length,
                s.resamples(), s.undefinedResamples(), seed);
    }

    /**
     * A statistic of the whole set of cases (AUROC, MAE, ...) with its interval. {@code
     * statistic} gets the indices of the cases to use (with repeats); a resample on which it is
     * NaN (one class only) is left out and counted.
     */
    public static Summary statistic(int cases, ToDoubleFunction<int[]> statistic, int resamples, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("bootstrap needs at least 1 resample, got " + resamples);
        }
        if (cases == 0) {
            return new Summary(Double.NaN, Double.NaN, Double.NaN, 0, 0, resamples, resamples, seed);
        }
        int[] all = new int[cases];
        Arrays.setAll(all, i -> i);
        double value = statistic.applyAsDouble(all);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] draws = new double[resamples];
        int defined = 0;
        int[] idx = new int[cases];
        for (int r = 0; r < resamples; r++) {
            resample(rng, idx);
            double v = statistic.applyAsDouble(idx);
            if (!Double.isNaN(v)) {
                draws[defined++] = v;
            }
        }
        double[] sorted = Arrays.copyOf(draws, defined);
        Arrays.sort(sorted);
        return new Summary(value, Stats.percentile(sorted, 2.5), Stats.percentile(sorted, 97.5), cases, 0,
                resamples, resamples - defined, seed);
    }

    /** Fills {@code idx} with indices drawn uniformly with replacement from [0, idx.length). */
    static void resample(SplittableRandom rng, int[] idx) {
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(idx.length);
        }
    }
}
