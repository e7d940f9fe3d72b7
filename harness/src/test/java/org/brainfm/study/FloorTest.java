package org.brainfm.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.BoardRow;
import org.brainfm.records.Family;
import org.brainfm.study.TaskRanking.Placed;
import org.junit.jupiter.api.Test;

/** The floor a model that learnt nothing scores, hand-computed, and when a best entry clears it. */
class FloorTest {

    @Test
    void theBestConstantPredictsTheMedian() {
        // median 2: |1-2| + |2-2| + |10-2| = 9 over 3
        assertThat(Floor.bestConstantMae(List.of(10.0, 1.0, 2.0))).isEqualTo(3.0);
        // median 4 (between 3 and 5): 3 + 1 + 1 + 96 = 101 over 4; the mean (27.25) would give 36.375
        assertThat(Floor.bestConstantMae(List.of(1.0, 3.0, 5.0, 100.0))).isEqualTo(25.25);
        assertThat(Floor.bestConstantMae(List.of(Double.NaN, 7.0))).isZero();
        assertThat(Floor.bestConstantMae(List.of())).isNaN();
    }

    @Test
    void clearedOnlyWhenTheWholeIntervalIsOnTheBetterSide() {
        assertThat(floor(Metric.MAE, 16, 12.0, 10.0, 15.9).cleared()).isTrue();
        assertThat(floor(Metric.MAE, 16, 12.0, 10.0, 16.0).cleared()).isFalse();
        assertThat(floor(Metric.MAE, Double.NaN, 12.0, 10.0, 11.0).cleared()).isFalse();
        assertThat(floor(Metric.AUROC, 0.5, 0.8, 0.51, 0.95).cleared()).isTrue();
        assertThat(floor(Metric.AUROC, 0.5, 0.8, 0.45, 0.95).cleared()).isFalse();
        assertThat(floor(Metric.AUROC, 0.5, 0.8, null, null).cleared()).isFalse();
        assertThat(new Floor(Metric.DICE, 0, "the empty mask", null).cleared()).isFalse();
    }

    @Test
    void saysWhichEntryWhatItScoresAndAgainstWhat() {
        assertThat(floor(Metric.MAE, 16.2, 12.3, 10.02, 14.77).finding()).isEqualTo("the best entry on MAE, unet (run 4),"
                + " 12.30 [10.02, 14.77], against 16.20, what a constant scores: above it, its 95 % CI excludes it");
        assertThat(floor(Metric.AUROC, 0.5, 0.55, 0.36, 0.73).finding()).endsWith("against 0.5000, what a constant scores:"
                + " not clear of it");
        assertThat(new Floor(Metric.DICE, 0, "the empty mask", null).finding()).isEqualTo("no entry has a Dice");
    }

    private static Floor floor(Metric metric, double value, double score, Double low, Double high) {
        BoardRow row = new BoardRow(1, "brainfm", "unet", Family.CNN, true, 4, 1000L, 0, 0,
                Map.of(metric.key(), new AggregateScore(metric.key(), score, low, high, 40, null, 1)));
        return new Floor(metric, value, "a constant", new Placed(row, 1, 1, Map.of()));
    }
}
