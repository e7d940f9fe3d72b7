package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Holm's step-down correction, worked by hand. */
class HolmTest {
    @Test
    void multipliesTheSortedPValuesByTheTestsLeftAndKeepsThemInOrder() {
        // sorted: 0.01 x 4 = 0.04; 0.02 x 3 = 0.06; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04 -> 0.06 (never below the step before)
        double[] adjusted = Holm.adjust(new double[] {0.03, 0.01, 0.04, 0.02});
        assertThat(adjusted).containsExactly(new double[] {0.06, 0.04, 0.06, 0.06}, within(1e-15));
    }

    @Test
    void capsAtOneAndLeavesUndefinedPValuesOutOfTheFamily() {
        double[] adjusted = Holm.adjust(new double[] {0.5, Double.NaN, 0.2});
        // m = 2: 0.2 x 2 = 0.4; 0.5 x 1 = 0.5
        assertThat(adjusted[0]).isCloseTo(0.5, within(1e-15));
        assertThat(adjusted[1]).isNaN();
        assertThat(adjusted[2]).isCloseTo(0.4, within(1e-15));
        assertThat(Holm.adjust(new double[] {0.6, 0.7})).containsExactly(1.0, 1.0);
        assertThat(Holm.adjust(new double[] {0.003})).containsExactly(0.003);
        assertThat(Holm.adjust(new double[0])).isEmpty();
    }
}
