package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bootstrap intervals and paired permutation tests. */
class AggregationTest {
    @Test
    void bootstrapIsSeededAndCoversTheMean() {
        Random rnd = new Random(3);
        double[] v = new double[400];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.7 + 0.1 * rnd.nextGaussian();
        }
        Summary s = Bootstrap.mean(v, Bootstrap.DEFAULT_RESAMPLES, 42);
        assertThat(Bootstrap.mean(v, Bootstrap.DEFAULT_RESAMPLES, 42)).isEqualTo(s);
        assertThat(Bootstrap.mean(v, Bootstrap.DEFAULT_RESAMPLES, 43)).isNotEqualTo(s);
        assertThat(s.value()).isCloseTo(Stats.mean(v), within(1e-15));
        assertThat(s.low()).isLessThan(s.value());
        assertThat(s.high()).isGreaterThan(s.value());
        // The percentile interval of a mean of 400 draws of sd 0.1: about +-1.96 * 0.1 / 20 = +-0.0098.
        assertThat((s.high() - s.low()) / 2).isCloseTo(0.0098, within(0.0015));
        assertThat(s.resamples()).isEqualTo(1000);
    }

    @Test
    void undefinedValuesAndResamplesAreLeftOutAndCounted() {
        double[] v = {1, 2, Double.NaN, 3};
        Summary s = Bootstrap.mean(v, 200, 1);
        assertThat(s.value()).isEqualTo(2.0);
        assertThat(s.cases()).isEqualTo(3);
        assertThat(s.excludedCases()).isEqualTo(1);
        assertThat(Bootstrap.mean(new double[] {5, 5, 5}, 100, 1)).satisfies(c -> {
            assertThat(c.low()).isEqualTo(5.0);
            assertThat(c.high()).isEqualTo(5.0);
        });
        // AUROC on 10 cases with one positive: a resample misses it with probability 0.9^10 = 0.349
        // and is then undefined.
        double[] labels = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        double[] scores = {0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.95};
        Summary a = Bootstrap.statistic(10, idx -> ClassificationMetrics.score(TaskScores.pick(scores, idx),
                TaskScores.pick(labels, idx)).auroc().value(), 4000, 9);
        assertThat(a.value()).isCloseTo(8.0 / 9, within(1e-12));
        assertThat(a.undefinedResamples() / 4000.0).isCloseTo(Math.pow(0.9, 10), within(0.03));
    }

    @Test
    void signFlipMatchesTheExactPermutationDistribution() {
        double[] a = {0.81, 0.77, 0.90, 0.65, 0.70, 0.88, 0.79, 0.73, 0.84, 0.69};
        double[] b = {0.78, 0.79, 0.85, 0.60, 0.71, 0.80, 0.74, 0.75, 0.83, 0.62};
        // All 2^10 sign patterns: the exact two-sided p-value.
        double[] d = new double[a.length];
        double observed = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
            observed += d[i];
        }
        int extreme = 0;
        for (int mask = 0; mask < 1 << d.length; mask++) {
            double sum = 0;
            for (int i = 0; i < d.length; i++) {
                sum += (mask >> i & 1) == 1 ? -d[i] : d[i];
            }
            if (Math.abs(sum) >= Math.abs(observed) - 1e-12) {
                extreme++;
            }
        }
        double exact = extreme / 1024.0;
        PermutationTest.Result r = PermutationTest.signFlip(a, b, 100_000, 5);
        assertThat(r.observed()).isCloseTo(observed / d.length, within(1e-15));
        assertThat(r.pValue()).isCloseTo(exact, within(0.005));
        assertThat(r.pValue()).isEqualTo((r.atLeastAsExtreme() + 1.0) / (100_000 + 1.0));
    }

    @Test
    void phipsonSmythBounds() {
        double[] a = new double[30];
        double[] b = new double[30];
        java.util.Arrays.fill(a, 0.9);
        java.util.Arrays.fill(b, 0.5);
        // Every permutation but the identity shrinks the difference: p is the smallest possible, 1/(m+1).
        PermutationTest.Result far = PermutationTest.signFlip(a, b, 999, 1);
        assertThat(far.pValue()).isEqualTo(1.0 / 1000);
        // Identical entries: every permutation is as extreme as the data, p = 1.
        assertThat(PermutationTest.signFlip(a, a, 999, 1).pValue()).isEqualTo(1.0);
    }

    @Test
    void swapTestOfAurocIsSymmetric() {
        Random rnd = new Random(8);
        int n = 60;
        double[] labels = new double[n];
        double[] good = new double[n];
        double[] poor = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            good[i] = 0.5 + 0.3 * (labels[i] - 0.5) + 0.15 * rnd.nextGaussian();
            poor[i] = rnd.nextDouble();
        }
        boolean[] positive = ClassificationMetrics.positives(good, labels);
        PermutationTest.Result ab = PermutationTest.swap(good, poor,
                s -> ClassificationMetrics.auroc(s, positive), 5000, 2);
        PermutationTest.Result ba = PermutationTest.swap(poor, good,
                s -> ClassificationMetrics.auroc(s, positive), 5000, 2);
        assertThat(ab.observed()).isCloseTo(ClassificationMetrics.auroc(good, positive)
                - ClassificationMetrics.auroc(poor, positive), within(1e-15));
        assertThat(ab.observed()).isGreaterThan(0.2);
        assertThat(ba.observed()).isEqualTo(-ab.observed());
        assertThat(ab.pValue()).isEqualTo(ba.pValue()).isLessThan(0.01);
    }
}
