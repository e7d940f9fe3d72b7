package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.RegressionMetrics;
import org.brainfm.metrics.SeedBootstrap;
import org.brainfm.metrics.SeedSummary;
import org.brainfm.metrics.TaskScores;
import org.junit.jupiter.api.Test;

/** Which source each metric's interval over seeds comes from, on rows as the board reads them. */
class SeedAggregatesTest {
    private static final double[] AGES = {30, 42, 55, 61, 70, 25, 48, 66, 38, 52};
    /** Two seeds' predicted ages; seed 2 misses case 4 (an invalid prediction, scored worst). */
    private static final double[][] PREDICTED = {
        {33, 40, 50, 64, 71, 29, 45, 60, 41, 50},
        {28, 47, 58, 59, Double.NaN, 20, 52, 69, 35, 57},
    };

    @Test
    void regressionMetricsAreRecomputedFromEachSeedsStoredPredictions() {
        Map<Long, Map<String, AggregateScore>> runs = new LinkedHashMap<>();
        Map<Long, Map<String, SeedAggregates.Cases>> cases = new LinkedHashMap<>();
        double[] mae = new double[2];
        for (int k = 0; k < 2; k++) {
            mae[k] = RegressionMetrics.score(PREDICTED[k], AGES).mae().value();
            // the stored interval is deliberately off: the exact path must not read it
            runs.put(10L + k, Map.of("mae", new AggregateScore("mae", mae[k], 0.0, 100.0, AGES.length)));
            cases.put(10L + k, Map.of(CaseScore.PREDICTION, new SeedAggregates.Cases(PREDICTED[k], AGES)));
        }
        AggregateScore combined = SeedAggregates.combine(runs, 11L, cases).get("mae");
        SeedSummary expected = SeedBootstrap.statistic(new int[] {10, 10}, (k, idx) -> RegressionMetrics.score(
                TaskScores.pick(PREDICTED[k], idx), TaskScores.pick(AGES, idx)).mae().value(),
                Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
        assertThat(combined.score()).isCloseTo((mae[0] + mae[1]) / 2, within(1e-12));
        assertThat(combined.ciLow()).isEqualTo(expected.low());
        assertThat(combined.ciHigh()).isEqualTo(expected.high());
        assertThat(combined.ciHigh() - combined.ciLow()).isLessThan(50);
        assertThat(combined.seeds()).isEqualTo(2);

        // Rows without their references (scored before schema 7): each seed's own interval, clipped at 0.
        cases.replaceAll((run, m) -> Map.of(CaseScore.PREDICTION, new SeedAggregates.Cases(m.get(CaseScore.PREDICTION).values(), null)));
        AggregateScore approx = SeedAggregates.combine(runs, 11L, cases).get("mae");
        assertThat(approx.score()).isEqualTo(combined.score());
        assertThat(approx.ciLow()).isGreaterThanOrEqualTo(0).isLessThan(expected.low());
        assertThat(approx.ciHigh()).isGreaterThan(expected.high());
    }
}
