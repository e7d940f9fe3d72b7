package org.brainfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrainConfigTest {
    @Test
    void warmupRisesLinearlyThenCosineFallsToTheMinimum() {
        TrainConfig c = new TrainConfig(10, 10, 1e-3, 1e-5, 0, 2, 0, 1);
        assertThat(c.learningRate(0)).isCloseTo(1e-3 / 20, within(1e-12));
        assertThat(c.learningRate(9)).isCloseTo(1e-3 / 2, within(1e-12));
        assertThat(c.learningRate(19)).isCloseTo(1e-3, within(1e-12));
        assertThat(c.learningRate(20)).isCloseTo(1e-3, within(1e-12));
        double t = 39.0 / 79;
        assertThat(c.learningRate(59)).isCloseTo(1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.cos(Math.PI * t)), within(1e-12));
        assertThat(c.learningRate(99)).isCloseTo(1e-5, within(1e-12));
        for (long s = 21; s < 100; s++) {
            assertThat(c.learningRate(s)).isLessThan(c.learningRate(s - 1));
        }
    }

    @Test
    void noWarmupStartsAtThePeak() {
        TrainConfig c = new TrainConfig(2, 3, 0.1, 0, 0, 0, 0, 1);
        assertThat(c.learningRate(0)).isEqualTo(0.1);
        assertThat(c.learningRate(5)).isCloseTo(0, within(1e-15));
    }
}
