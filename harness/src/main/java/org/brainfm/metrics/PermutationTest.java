package org.brainfm.metrics;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Paired two-sided permutation tests between two entries scored on the same cases. Under the
 * null hypothesis the two entries' predictions are exchangeable case by case, so each
 * permutation swaps them on a random half of the cases. p = (b + 1) / (m + 1) (Phipson and
 * Smyth), b being the number of the m permutations whose statistic is at least as far from 0
 * as the observed one.
 */
public final class PermutationTest {
    /** The permutation count FOMO25 used. */
    public static final int DEFAULT_PERMUTATIONS = 100_000;

    private PermutationTest() {}

    /**
     * @param observed         the statistic on the data as they are (metric of A minus metric of B)
     * @param pValue           two-sided, Phipson-Smyth corrected; NaN when the statistic is undefined
     * @param atLeastAsExtreme b, permutations with |statistic| >= |observed|
     */
    public record Result(double observed, double pValue, int permutations, int atLeastAsExtreme, long seed) {}

    /** A statistic of two entries after swapping their predictions where {@code swapped[i]}. */
    @FunctionalInterface
    public interface PairedStatistic {
        double difference(boolean[] swapped);
    }

    /**
     * Sign-flip test of per-case values (Dice, NSD, HD95, absolute error): the statistic is the
     * mean paired difference a - b, and swapping a case flips its difference's sign. Cases
     * where either value is undefined (NaN) are left out.
     */
    public static Result signFlip(double[] a, double[] b, int permutations, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " paired values against " + b.length);
        }
        int n = 0;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                d[n++] = a[i] - b[i];
            }
        }
        int cases = n;
        return test(cases, swapped -> {
            double sum = 0;
            for (int i = 0; i < cases; i++) {
                sum += swapped[i] ? -d[i] : d[i];
            }
            return cases == 0 ? Double.NaN : sum / cases;
        }, permutations, seed);
    }

    /**
     * Swap test of a metric computed on the whole set (AUROC, AP, MAE, Pearson r): {@code
     * metric} scores one vector of predictions (the labels are captured in it); the statistic is
     * metric(A') - metric(B') where A' and B' exchange predictions on the swapped cases.
     */
    public static Result swap(double[] predA, double[] predB, ToDoubleFunction<double[]> metric,
                              int permutations, long seed) {
        if (predA.length != predB.length) {
            throw new IllegalArgumentException(predA.length + " paired predictions against " + predB.length);
        }
        double[] a = new double[predA.length];
        double[] b = new double[predB.length];
        return test(predA.length, swapped -> {
            for (int i = 0; i < a.length; i++) {
                a[i] = swapped[i] ? predB[i] : predA[i];
                b[i] = swapped[i] ? predA[i] : predB[i];
            }
            return metric.applyAsDouble(a) - metric.applyAsDouble(b);
        }, permutations, seed);
    }

    /** The general test: {@code statistic} of the data with the given cases swapped. */
    public static Result test(int cases, PairedStatistic statistic, int permutations, long seed) {
        if (permutations < 1) {
            throw new IllegalArgumentException("a permutation test needs at least 1 permutation, got " + permutations);
        }
        boolean[] swapped = new boolean[cases];
        double observed = statistic.difference(swapped);
        if (Double.isNaN(observed)) {
            return new Result(observed, Double.NaN, permutations, 0, seed);
        }
        // Differences that equal the observed one up to rounding count as equally extreme.
        double limit = Math.abs(observed) - 1e-12 * Math.max(1, Math.abs(observed));
        SplittableRandom rng = new SplittableRandom(seed);
        int b = 0;
        for (int p = 0; p < permutations; p++) {
            long bits = 0;
            for (int i = 0; i < cases; i++) {
                if ((i & 63) == 0) {
                    bits = rng.nextLong();
                }
                swapped[i] = (bits & 1) != 0;
                bits >>>= 1;
            }
            if (Math.abs(statistic.difference(swapped)) >= limit) {
                b++;
            }
        }
        return new Result(observed, (b + 1.0) / (permutations + 1.0), permutations, b, seed);
    }
}
