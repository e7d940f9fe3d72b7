package org.brainfm.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each loss against values worked out by hand (the arithmetic is in the comments). */
class LossesTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Devices.manager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * Two voxels, two classes. Voxel 0: logits (0, 0), p = (.5, .5), label 1. Voxel 1: logits
     * (0, ln 3), p = (.25, .75), label 0. CE = (ln 2 + ln 4) / 2 = 1.0397208. Foreground: TP = .5,
     * FP = .75, FN = .5; Dice TI = .5 / (.5 + .375 + .25) = 4/9.
     */
    @Test
    void diceCrossEntropyByHand() {
        NDArray logits = manager.create(new float[] {0, 0, 0, (float) Math.log(3)}, new Shape(1, 2, 1, 1, 2));
        NDArray labels = manager.create(new float[] {1, 0}, new Shape(1, 1, 1, 2));
        double ce = (Math.log(2) + Math.log(4)) / 2;
        assertThat(Losses.diceCrossEntropy(logits, labels).getFloat()).isCloseTo((float) (1 - 4.0 / 9 + ce), within(1e-5f));
        // Tversky alpha .3 (FP), beta .7 (FN): .5 / (.5 + .225 + .35)
        assertThat(Losses.tverskyCrossEntropy(logits, labels, 0.3, 0.7).getFloat())
                .isCloseTo((float) (1 - 0.5 / 1.075 + ce), within(1e-5f));
    }

    @Test
    void diceCrossEntropyAveragesSamplesAndVanishesWhenRight() {
        // sample 2: p(foreground) = .75 at both voxels, both foreground: CE = -ln .75, TP = 1.5, FN = .5
        float ln3 = (float) Math.log(3);
        NDArray logits = manager.create(new float[] {0, 0, 0, ln3, 0, 0, ln3, ln3}, new Shape(2, 2, 2, 1, 1));
        NDArray labels = manager.create(new float[] {1, 0, 1, 1}, new Shape(2, 2, 1, 1));
        double ce = ((Math.log(2) + Math.log(4)) / 2 - Math.log(0.75)) / 2;
        double ti = (4.0 / 9 + 1.5 / 1.75) / 2;
        assertThat(Losses.diceCrossEntropy(logits, labels).getFloat()).isCloseTo((float) (1 - ti + ce), within(1e-5f));

        NDArray right = manager.create(new float[] {-30, 30, 30, -30}, new Shape(1, 2, 2, 1, 1));
        NDArray truth = manager.create(new float[] {1, 0}, new Shape(1, 2, 1, 1));
        assertThat(Losses.diceCrossEntropy(right, truth).getFloat()).isCloseTo(0f, within(1e-5f));
    }

    /**
     * Weights (2, 1), smoothing .1. Case 0: p = (.5, .5), label 1: .9 * 1 * ln 2 + .05 * 3 ln 2.
     * Case 1: p = (.75, .25), label 0: .9 * 2 * -ln .75 + .05 * (2 * -ln .75 - ln .25). Sum / (1 + 2).
     */
    @Test
    void weightedCrossEntropyWithLabelSmoothingByHand() {
        NDArray logits = manager.create(new float[] {0, 0, (float) Math.log(3), 0}, new Shape(2, 2));
        NDArray labels = manager.create(new float[] {1, 0});
        double case0 = 0.9 * Math.log(2) + 0.05 * 3 * Math.log(2);
        double case1 = 0.9 * 2 * -Math.log(0.75) + 0.05 * (2 * -Math.log(0.75) - Math.log(0.25));
        assertThat(Losses.weightedCrossEntropy(logits, labels, new float[] {2, 1}, 0.1).getFloat())
                .isCloseTo((float) ((case0 + case1) / 3), within(1e-5f));
        // no weights, no smoothing: plain mean negative log-likelihood
        assertThat(Losses.weightedCrossEntropy(logits, labels, new float[] {1, 1}, 0).getFloat())
                .isCloseTo((float) ((Math.log(2) - Math.log(0.75)) / 2), within(1e-5f));
    }

    @Test
    void balancedWeightsAreInverseClassFrequencies() {
        assertThat(Losses.balancedWeights(new double[] {0, 0, 0, 1}, 2)).containsExactly(4f / 6, 2f);
        assertThat(Losses.balancedWeights(new double[] {1, 0, 1, 0}, 2)).containsExactly(1f, 1f);
    }

    @Test
    void smoothL1ByHand() {
        NDArray predicted = manager.create(new float[] {0.5f, 3f, -0.05f}, new Shape(3, 1));
        NDArray target = manager.create(new float[] {0, 0, 0});
        // beta 1: .5 * .25, 3 - .5, .5 * .0025
        assertThat(Losses.smoothL1(predicted, target, 1).getFloat()).isCloseTo((0.125f + 2.5f + 0.00125f) / 3, within(1e-6f));
        // beta .1: .5 - .05, 3 - .05, .5 * .0025 / .1
        assertThat(Losses.smoothL1(predicted, target, 0.1).getFloat()).isCloseTo((0.45f + 2.95f + 0.0125f) / 3, within(1e-6f));
    }
}
