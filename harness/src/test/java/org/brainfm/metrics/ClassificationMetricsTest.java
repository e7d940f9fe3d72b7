package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static final double EPS = 1e-12;
    //                                       0    1    2    3    4    5
    private static final double[] SCORES = {0.9, 0.8, 0.8, 0.3, 0.6, 0.1};
    private static final double[] LABELS = {1, 1, 0, 1, 0, 0};

    @Test
    void handComputedSet() {
        ClassificationScores s = ClassificationMetrics.score(SCORES, LABELS);
        // Positive-negative pairs ordered right: 0.9 beats all 3; 0.8 beats 0.6, 0.1 and ties 0.8
        // (1/2); 0.3 beats 0.1: 6.5 of 9. The trapezoids over the ROC points (fp, tp) = (0,1),
        // (1,2) [the tied 0.8s as one point], (2,2), (2,3), (3,3) give the same 1.5 + 2 + 3 = 6.5.
        assertThat(s.auroc().value()).isCloseTo(6.5 / 9, within(EPS));
        // AP: thresholds 0.9 (R 1/3, P 1/1), 0.8 (R 2/3, P 2/3), 0.6 (R unchanged), 0.3 (R 1, P 3/5):
        // 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = (15 + 10 + 9) / 45.
        assertThat(s.averagePrecision().value()).isCloseTo(34.0 / 45, within(EPS));
        // At 0.5: predicted positive 0, 1, 2, 4 -> TP 2, FP 2, FN 1, TN 1.
        assertThat(s.accuracy().value()).isCloseTo(3.0 / 6, within(EPS));
        assertThat(s.balancedAccuracy().value()).isCloseTo((2.0 / 3 + 1.0 / 3) / 2, within(EPS));
        assertThat(s.f1().value()).isCloseTo(4.0 / 7, within(EPS)); // 2*2 / (2*2 + 2 + 1)
        assertThat(s.auroc().flag()).isEqualTo(Flag.OK);
        assertThat(s.invalidCases()).isZero();
    }

    @Test
    void aScoreAtTheThresholdIsPositive() {
        double[] scores = {0.5, 0.49999};
        boolean[] positive = {true, false};
        assertThat(ClassificationMetrics.accuracy(scores, positive)).isEqualTo(1.0);
    }

    @Test
    void nanScoresAreInvalidAndScoredWorst() {
        double[] scores = SCORES.clone();
        scores[0] = Double.NaN; // a positive case: becomes -infinity, below every negative
        ClassificationScores s = ClassificationMetrics.score(scores, LABELS);
        // Pairs: -inf beats none; 0.8 gives 2.5; 0.3 gives 1: 3.5 of 9.
        assertThat(s.auroc()).isEqualTo(new Score(3.5 / 9, Flag.INVALID));
        assertThat(s.invalidCases()).isEqualTo(1);
        // Case 0 now predicted negative: TP 1, FP 2, FN 2, TN 1.
        assertThat(s.accuracy().value()).isCloseTo(2.0 / 6, within(EPS));
        double[] negativeNan = SCORES.clone();
        negativeNan[5] = Double.NaN; // a negative case: +infinity, above every positive
        // 0.9 beats 0.8 and 0.6 (2), 0.8 beats 0.6 and ties 0.8 (1.5), 0.3 beats none: 3.5 of 9.
        assertThat(ClassificationMetrics.score(negativeNan, LABELS).auroc().value()).isCloseTo(3.5 / 9, within(EPS));
    }

    @Test
    void oneClassLeavesAurocUndefined() {
        double[] labels = {1, 1, 1};
        double[] scores = {0.2, 0.7, 0.9};
        ClassificationScores s = ClassificationMetrics.score(scores, labels);
        assertThat(s.auroc()).isEqualTo(Score.undefined());
        // Every threshold has precision 1: AP = 1. Balanced accuracy is the recall of the one class.
        assertThat(s.averagePrecision().value()).isEqualTo(1.0);
        assertThat(s.balancedAccuracy().value()).isCloseTo(2.0 / 3, within(EPS));
        ClassificationScores none = ClassificationMetrics.score(new double[] {0.1, 0.2}, new double[] {0, 0});
        assertThat(none.averagePrecision()).isEqualTo(Score.undefined());
        assertThat(none.f1()).isEqualTo(Score.undefined()); // no positives, none predicted
        assertThat(none.accuracy().value()).isEqualTo(1.0);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> ClassificationMetrics.score(new double[] {0.5}, new double[] {2}))
                .hasMessageContaining("not 0 or 1");
        assertThatThrownBy(() -> ClassificationMetrics.score(new double[] {0.5}, new double[] {0, 1}))
                .hasMessageContaining("1 scores for 2 labels");
        assertThatThrownBy(() -> ClassificationMetrics.score(new double[0], new double[0]))
                .hasMessageContaining("no cases");
    }
}
