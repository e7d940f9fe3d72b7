package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingTest {
    private static final List<String> ENTRIES = List.of("A", "B", "C");

    /** Segmentation: means Dice A 0.8, B 0.8, C 0.6 and HD95 A 5, B 3, C 3 over two cases. */
    private static TaskScores segmentation() {
        Map<Metric, double[][]> v = new LinkedHashMap<>();
        v.put(Metric.DICE, new double[][] {{0.7, 0.9}, {0.8, 0.8}, {0.5, 0.7}});
        v.put(Metric.HD95, new double[][] {{4, 6}, {2, 4}, {3, 3}});
        return TaskScores.perCase("seg", ENTRIES, v);
    }

    /** Brain age: truth 10..40, errors of +-2, +-4 and +-6 years. */
    private static TaskScores age() {
        double[] truth = {10, 20, 30, 40};
        return TaskScores.regression("age", ENTRIES, truth, new double[][] {
            {12, 18, 32, 38}, {14, 16, 34, 36}, {16, 14, 36, 34}});
    }

    @Test
    void ranksLikeFomo25() {
        // seg: Dice ranks 1, 1, 3 (A and B tie and share the best rank); HD95, lower better: 3, 1, 1.
        //      Task ranks A (1 + 3) / 2 = 2, B 1, C 2.
        // age: MAE 2, 4, 6 -> 1, 2, 3; Pearson r 0.985, 0.934, 0.846 -> 1, 2, 3. Task ranks 1, 2, 3.
        // Overall: A (2 + 1) / 2 = 1.5, B (1 + 2) / 2 = 1.5, C (2 + 3) / 2 = 2.5: A and B share first.
        List<Ranking.Place> board = Ranking.rank(List.of(segmentation(), age()));
        assertThat(board).extracting(Ranking.Place::meanRank).containsExactly(1.5, 1.5, 2.5);
        assertThat(board).extracting(Ranking.Place::position).containsExactly(1, 1, 3);
        assertThat(board.get(0).taskRanks()).containsExactly(2, 1);
    }

    @Test
    void undefinedValuesRankLastAndAllUndefinedMetricsAreDropped() {
        assertThat(Ranking.rank(new double[] {0.5, Double.NaN, 0.7, 0.7}, Metric.Direction.HIGHER))
                .containsExactly(3, 4, 1, 1);
        assertThat(Ranking.rank(new double[] {2, Double.NaN, 1}, Metric.Direction.LOWER)).containsExactly(2, 3, 1);
        // One class in the test set: AUROC undefined for everyone and left out; accuracy decides.
        double[] labels = {1, 1, 1, 1};
        TaskScores cls = TaskScores.classification("cls", ENTRIES, labels, new double[][] {
            {0.9, 0.9, 0.9, 0.1}, {0.9, 0.9, 0.9, 0.9}, {0.1, 0.1, 0.9, 0.9}}, List.of(Metric.AUROC, Metric.ACCURACY));
        List<Ranking.Place> board = Ranking.rank(List.of(cls));
        assertThat(board).extracting(Ranking.Place::meanRank).containsExactly(2.0, 1.0, 3.0);
    }

    @Test
    void rankStabilityReportsPositionIntervalsAndFrequencies() {
        List<Ranking.Stability> s = Ranking.stability(List.of(segmentation(), age()), 500, 3);
        assertThat(s).extracting(Ranking.Stability::entry).containsExactlyElementsOf(ENTRIES);
        for (Ranking.Stability e : s) {
            assertThat(java.util.Arrays.stream(e.frequency()).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(e.low()).isLessThanOrEqualTo(e.high());
            assertThat(e.low()).isGreaterThanOrEqualTo(1);
            assertThat(e.high()).isLessThanOrEqualTo(3);
        }
        // C is never better than A on any case of the age task and never first overall.
        assertThat(s.get(2).frequency()[0]).isZero();
        assertThat(Ranking.stability(List.of(segmentation(), age()), 500, 3)).usingRecursiveComparison().isEqualTo(s);

        // Far apart entries do not move.
        Map<Metric, double[][]> v = new LinkedHashMap<>();
        v.put(Metric.DICE, new double[][] {{0.9, 0.91, 0.92}, {0.5, 0.52, 0.51}, {0.1, 0.11, 0.12}});
        List<Ranking.Stability> fixed = Ranking.stability(List.of(TaskScores.perCase("seg", ENTRIES, v)), 200, 1);
        assertThat(fixed).extracting(Ranking.Stability::position).containsExactly(1, 2, 3);
        assertThat(fixed.get(0).frequency()).containsExactly(1, 0, 0);
        assertThat(fixed.get(2).low()).isEqualTo(3.0);
    }

    @Test
    void tasksMustScoreTheSameEntries() {
        TaskScores other = TaskScores.regression("age", List.of("A", "B"), new double[] {1, 2}, new double[][] {{1, 2}, {2, 1}});
        assertThatThrownBy(() -> Ranking.rank(List.of(segmentation(), other))).hasMessageContaining("same entries");
    }

    @Test
    void registryKnowsDirectionsUnitsAndDecimals() {
        assertThat(Metric.byKey("hd95")).isEqualTo(Metric.HD95);
        assertThat(Metric.HD95.direction()).isEqualTo(Metric.Direction.LOWER);
        assertThat(Metric.HD95.unit()).isEqualTo("mm");
        assertThat(Metric.DICE.format(0.83125)).isEqualTo("0.8313");
        assertThat(Metric.MAE.better(3, 4)).isTrue();
        assertThat(Metric.AUROC.better(Double.NaN, 0.1)).isFalse();
        assertThatThrownBy(() -> Metric.byKey("iou")).hasMessageContaining("unknown metric iou");
    }
}
