package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.brainfm.DebianPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-level (seeds, then cases) bootstrap against the one-level one and an independent numpy computation. */
class SeedBootstrapTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void oneSeedIsExactlyTheCaseBootstrap() {
        double[] v = {0.9, 0.4, Double.NaN, 0.7, 0.65, 0.1, 0.8, 0.55};
        SeedSummary s = SeedBootstrap.means(List.of(v), 1_000, Bootstrap.DEFAULT_SEED);
        // Scorer's segmentation aggregate: every case resampled, NaN left out of each mean.
        TaskScores one = TaskScores.perCase("t", List.of("e"), java.util.Map.of(Metric.DICE, new double[][] {v}));
        Summary c = one.summary(0, Metric.DICE, 1_000, Bootstrap.DEFAULT_SEED);
        assertThat(s.mean()).isEqualTo(c.value());
        assertThat(s.low()).isEqualTo(c.low());
        assertThat(s.high()).isEqualTo(c.high());
        assertThat(s.seeds()).isEqualTo(1);
        assertThat(s.sd()).isNaN();
        double[] labels = {1, 0, 1, 0, 1, 0, 0, 1};
        double[] scores = {0.8, 0.3, 0.6, 0.5, 0.4, 0.2, 0.7, 0.9};
        SeedSummary a = SeedBootstrap.statistic(new int[] {8}, (k, idx) -> ClassificationMetrics.score(
                TaskScores.pick(scores, idx), TaskScores.pick(labels, idx)).auroc().value(), 500, 7);
        Summary b = Bootstrap.statistic(8, idx -> ClassificationMetrics.score(TaskScores.pick(scores, idx),
                TaskScores.pick(labels, idx)).auroc().value(), 500, 7);
        assertThat(new double[] {a.mean(), a.low(), a.high(), a.undefinedResamples()})
                .containsExactly(b.value(), b.low(), b.high(), b.undefinedResamples());
    }

    @Test
    void meanSpreadAndIntervalMatchAnIndependentNumpyBootstrap() throws IOException {
        Random rnd = new Random(11);
        double[][] seeds = new double[4][];
        double[] centre = {0.60, 0.72, 0.66, 0.80};
        for (int k = 0; k < seeds.length; k++) {
            seeds[k] = new double[25 + 5 * k];
            for (int i = 0; i < seeds[k].length; i++) {
                seeds[k][i] = centre[k] + 0.1 * rnd.nextGaussian();
            }
        }
        int resamples = 100_000;
        SeedSummary s = SeedBootstrap.means(List.of(seeds), resamples, 3);
        assertThat(s.seeds()).isEqualTo(4);
        assertThat(SeedBootstrap.means(List.of(seeds), resamples, 3)).isEqualTo(s);

        Path request = dir.resolve("seeds.json");
        JSON.writeValue(request.toFile(), seeds);
        String script = """
                import json, sys
                import numpy as np
                seeds = [np.array(s) for s in json.load(open(sys.argv[1]))]
                means = np.array([s.mean() for s in seeds])
                rng = np.random.default_rng(2024)
                S, R = len(seeds), int(sys.argv[2])
                draws = np.empty(R)
                picks = rng.integers(0, S, size=(R, S))
                for r in range(R):
                    draws[r] = np.mean([seeds[k][rng.integers(0, len(seeds[k]), len(seeds[k]))].mean() for k in picks[r]])
                lo, hi = np.percentile(draws, [2.5, 97.5])
                print(json.dumps({"mean": means.mean(), "sd": means.std(ddof=1), "low": lo, "high": hi}))
                """;
        Path file = dir.resolve("seeds.py");
        Files.writeString(file, script);
        JsonNode numpy = JSON.readTree(DebianPython.run(dir, 300, List.of(file.toString(), request.toString(),
                String.valueOf(resamples))));
        assertThat(s.mean()).isCloseTo(numpy.get("mean").asDouble(), within(1e-12));
        assertThat(s.sd()).isCloseTo(numpy.get("sd").asDouble(), within(1e-12));
        // Two Monte Carlo estimates of the same percentiles, 100,000 draws each: within a few thousandths.
        assertThat(s.low()).isCloseTo(numpy.get("low").asDouble(), within(0.003));
        assertThat(s.high()).isCloseTo(numpy.get("high").asDouble(), within(0.003));
        // The seeds' spread (sd 0.085 over 4) dominates: wider than the cases alone give any seed.
        for (double[] v : seeds) {
            Summary c = Bootstrap.mean(v, 1_000, 3);
            assertThat(s.high() - s.low()).isGreaterThan(c.high() - c.low());
        }
    }

    @Test
    void fromIntervalsDrawsEachSeedWithinItsOwnInterval() {
        // Equal seeds: only the case level is left, a normal of se 0.05 / 1.96 per seed, averaged over 3.
        SeedSummary same = SeedBootstrap.fromIntervals(new double[] {0.7, 0.7, 0.7}, new double[] {0.65, 0.65, 0.65},
                new double[] {0.75, 0.75, 0.75}, 0, 1, 20_000, 5);
        assertThat(same.mean()).isCloseTo(0.7, within(1e-12));
        assertThat(same.sd()).isCloseTo(0, within(1e-12));
        double half = 1.96 * (0.05 / 1.959963984540054) / Math.sqrt(3);
        assertThat(same.high() - 0.7).isCloseTo(half, within(0.002));
        assertThat(0.7 - same.low()).isCloseTo(half, within(0.002));
        // Intervals of zero width: the seed level alone, the bootstrap of the mean of 0.6, 0.7, 0.8.
        SeedSummary spread = SeedBootstrap.fromIntervals(new double[] {0.6, 0.7, 0.8}, new double[] {0.6, 0.7, 0.8},
                new double[] {0.6, 0.7, 0.8}, 0, 1, 20_000, 5);
        assertThat(spread.sd()).isCloseTo(0.1, within(1e-12));
        // Of the 27 equally likely draws one is all 0.6 (3.7 % > 2.5 %) and one all 0.8: the percentiles.
        assertThat(spread.low()).isCloseTo(0.6, within(1e-9));
        assertThat(spread.high()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void fromIntervalsNeverLeavesTheMetricsRange() {
        // Seeds near the ceiling with wide intervals: unclipped normal draws cross 1, which no AUROC can.
        double[] values = {0.96, 1.0, 0.985};
        double[] lows = {0.8875, 1.0, 0.9499};
        double[] highs = {1.0, 1.0, 1.0};
        SeedSummary unclipped = SeedBootstrap.fromIntervals(values, lows, highs, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, 1_000, Bootstrap.DEFAULT_SEED);
        assertThat(unclipped.high()).isGreaterThan(1);
        SeedSummary clipped = SeedBootstrap.fromIntervals(values, lows, highs, Metric.AUROC.lowest(), Metric.AUROC.highest(),
                1_000, Bootstrap.DEFAULT_SEED);
        assertThat(clipped.high()).isLessThanOrEqualTo(1);
        assertThat(clipped.low()).isGreaterThan(0.9).isLessThan(clipped.mean());
        assertThat(clipped.mean()).isEqualTo(unclipped.mean());
    }
}
