package org.brainfm.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An entry's metric over several finetuning seeds: the mean over seeds, their spread, and a
 * two-level (hierarchical) bootstrap 95 % interval that accounts for both the seeds and the test
 * cases. Each resample draws as many seeds as there are, with replacement; within each drawn seed
 * it resamples that seed's cases with replacement and recomputes the seed's statistic; the
 * resample's value is the mean over the drawn seeds. Percentile method, as {@link Bootstrap}.
 * With one seed the draws are exactly {@link Bootstrap#statistic}'s with the same RNG seed: the
 * seed level draws from its own stream, so the cases see the same stream as a one-level bootstrap.
 */
public final class SeedBootstrap {
    /** Offsets the seed level's stream from the case level's, so that one seed degenerates exactly. */
    private static final long SEED_LEVEL = 0x5EED5EED5EEDL;

    /** One seed's statistic on the given cases of that seed (indices, repeats allowed). */
    @FunctionalInterface
    public interface SeedStatistic {
        double apply(int seed, int[] cases);
    }

    private SeedBootstrap() {}

    /**
     * Per-case values of each seed (a seed's statistic is the mean of its cases' values, undefined
     * NaN values left out of each mean, as {@link TaskScores#perCase} aggregates segmentation).
     */
    public static SeedSummary means(List<double[]> perSeed, int resamples, long seed) {
        int[] cases = perSeed.stream().mapToInt(v -> v.length).toArray();
        return statistic(cases, (k, idx) -> {
            double[] v = perSeed.get(k);
            double sum = 0;
            int n = 0;
            for (int i : idx) {
                if (!Double.isNaN(v[i])) {
                    sum += v[i];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }, resamples, seed);
    }

    /**
     * A statistic of each seed's set of cases ({@code casesPerSeed[k]} cases in seed k). A seed
     * whose statistic is undefined on all its cases is left out of the mean and the spread; a
     * resample on which any drawn seed's statistic is undefined is left out of the interval and
     * counted.
     */
    public static SeedSummary statistic(int[] casesPerSeed, SeedStatistic statistic, int resamples, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("bootstrap needs at least 1 resample, got " + resamples);
        }
        int seeds = casesPerSeed.length;
        if (seeds == 0) {
            return new SeedSummary(Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, resamples, resamples, seed);
        }
        double[] values = new double[seeds];
        for (int k = 0; k < seeds; k++) {
            int[] all = new int[casesPerSeed[k]];
            Arrays.setAll(all, i -> i);
            values[k] = all.length == 0 ? Double.NaN : statistic.apply(k, all);
        }
        double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        double mean = defined.length == 0 ? Double.NaN : Stats.mean(defined);
        SplittableRandom caseRng = new SplittableRandom(seed);
        SplittableRandom seedRng = new SplittableRandom(seed ^ SEED_LEVEL);
        double[] draws = new double[resamples];
        int kept = 0;
        int[][] idx = new int[seeds][];
        for (int k = 0; k < seeds; k++) {
            idx[k] = new int[casesPerSeed[k]];
        }
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int s = 0; s < seeds; s++) {
                int k = seeds == 1 ? 0 : seedRng.nextInt(seeds);
                double v = Double.NaN;
                if (casesPerSeed[k] > 0) {
                    Bootstrap.resample(caseRng, idx[k]);
                    v = statistic.apply(k, idx[k]);
                }
                sum += v;
            }
            if (!Double.isNaN(sum)) {
                draws[kept++] = sum / seeds;
            }
        }
        double[] sorted = Arrays.copyOf(draws, kept);
        Arrays.sort(sorted);
        return new SeedSummary(mean, sd(defined), defined.length, Stats.percentile(sorted, 2.5),
                Stats.percentile(sorted, 97.5), resamples, resamples - kept, seed);
    }

    /**
     * The same two levels where only each seed's value and its own case-bootstrap 95 % interval
     * are known (metrics of the whole test set of runs scored before the records held their
     * references): the case level draws each seed's value from a normal distribution with the
     * standard error its interval implies, (high - low) / (2 x 1.96), clipped to the values the
     * metric can take ({@code lowest} to {@code highest}), which a normal draw does not know. A
     * seed without an interval counts with none.
     */
    public static SeedSummary fromIntervals(double[] values, double[] lows, double[] highs, double lowest, double highest,
            int resamples, long seed) {
        if (values.length != lows.length || values.length != highs.length) {
            throw new IllegalArgumentException(values.length + " values for " + lows.length + " and " + highs.length + " bounds");
        }
        double[] se = new double[values.length];
        for (int k = 0; k < se.length; k++) {
            se[k] = Double.isNaN(lows[k]) || Double.isNaN(highs[k]) ? 0 : Math.max(0, highs[k] - lows[k]) / (2 * 1.959963984540054);
        }
        double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int seeds = values.length;
        SplittableRandom caseRng = new SplittableRandom(seed);
        SplittableRandom seedRng = new SplittableRandom(seed ^ SEED_LEVEL);
        double[] draws = new double[resamples];
        int kept = 0;
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int s = 0; s < seeds; s++) {
                int k = seeds == 1 ? 0 : seedRng.nextInt(seeds);
                sum += Math.min(highest, Math.max(lowest, values[k] + se[k] * gaussian(caseRng)));
            }
            if (!Double.isNaN(sum)) {
                draws[kept++] = sum / seeds;
            }
        }
        double[] sorted = Arrays.copyOf(draws, kept);
        Arrays.sort(sorted);
        return new SeedSummary(defined.length == 0 ? Double.NaN : Stats.mean(defined), sd(defined), defined.length,
                Stats.percentile(sorted, 2.5), Stats.percentile(sorted, 97.5), resamples, resamples - kept, seed);
    }

    /** A standard normal draw (Box-Muller; {@code SplittableRandom} has none). */
    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Sample standard deviation (n - 1); NaN for fewer than two values. */
    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = Stats.mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }
}
