package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void handComputedSet() {
        double[] predicted = {10, 20, 30};
        double[] truth = {12, 18, 33};
        RegressionScores s = RegressionMetrics.score(predicted, truth);
        // |10-12| + |20-18| + |30-33| = 7 over 3 cases.
        assertThat(s.mae().value()).isCloseTo(7.0 / 3, within(EPS));
        // Deviations from the means 20 and 21: (-10, 0, 10) and (-9, -3, 12):
        // r = (90 + 0 + 120) / sqrt(200 * 234).
        assertThat(s.pearson().value()).isCloseTo(210 / Math.sqrt(200 * 234), within(EPS));
        assertThat(s.mae().flag()).isEqualTo(Flag.OK);
    }

    @Test
    void nonFinitePredictionsTakeTheFartherEndOfTheTrueRange() {
        double[] truth = {12, 18, 33};
        // Case 1 (true 18): 18 - 12 = 6 below, 33 - 18 = 15 above: replaced by 33, error 15.
        RegressionScores s = RegressionMetrics.score(new double[] {10, Double.NaN, 30}, truth);
        assertThat(s.mae()).isEqualTo(new Score((2 + 15 + 3) / 3.0, Flag.INVALID));
        assertThat(s.invalidCases()).isEqualTo(1);
        assertThat(RegressionMetrics.withWorst(new double[] {Double.POSITIVE_INFINITY, 0, 0}, truth)[0]).isEqualTo(33);
    }

    @Test
    void constantPredictionsLeavePearsonUndefined() {
        RegressionScores s = RegressionMetrics.score(new double[] {40, 40, 40}, new double[] {30, 40, 50});
        assertThat(s.pearson()).isEqualTo(Score.undefined());
        assertThat(s.mae().value()).isCloseTo(20.0 / 3, within(EPS));
        assertThatThrownBy(() -> RegressionMetrics.score(new double[] {1}, new double[] {Double.NaN}))
                .hasMessageContaining("true value of case 0");
    }
}
