package org.brainfm.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Constants and copied-in data stay valid for autograd however the Java heap is collected. */
class TensorsTest {
    /** The gradient of sum(f(x)) at x = (1, 2, 3, 4), with a heap collection between forward and backward. */
    private static float[] gradientAcrossCollection(UnaryOperator<NDArray> f) {
        try (NDManager manager = Devices.manager(Device.cpu())) {
            NDArray x = Tensors.copyOf(manager, new float[] {1, 2, 3, 4}, new Shape(4));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine(Devices.ENGINE).newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                FreedMemory.collectAndReuse();
                collector.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void aScaledArrayKeepsItsGradientWhenTheHeapIsCollectedBeforeBackward() {
        // DJL's own x.mul(3f) wraps 3 in Java memory that autograd keeps and the collector frees;
        // its gradient then reads whatever lies there (1.4e-45, NaN, ...).
        assertThat(gradientAcrossCollection(x -> Tensors.scale(x, 3))).containsExactly(3f, 3f, 3f, 3f);
    }

    /**
     * Negative control: the harness above catches the bug it is for. DJL's own {@code x.mul(3f)}
     * wraps 3 in Java memory that autograd keeps; the collection frees it (malloc overwrites a freed
     * block's first bytes with its list pointers) and refills it with NaN, so the gradient is not 3.
     */
    @Test
    void theHarnessCatchesDjlsOwnNumberOperand() {
        assertThat(gradientAcrossCollection(x -> x.mul(3f))).isNotEqualTo(new float[] {3f, 3f, 3f, 3f});
    }

    @Test
    void aCopiedInConstantKeepsItsGradientWhenTheHeapIsCollectedBeforeBackward() {
        assertThat(gradientAcrossCollection(x -> {
            try (NDArray c = Tensors.copyOf(x.getManager(), new float[] {2, 2, 5, 5}, new Shape(4))) {
                return x.mul(c);
            }
        })).containsExactly(2f, 2f, 5f, 5f);
    }

    @Test
    void copyOfHoldsTheValuesAndRejectsAWrongShape() {
        try (NDManager manager = Devices.manager(Device.cpu())) {
            float[] big = new float[100_000];
            big[99_999] = 7;
            assertThat(Tensors.copyOf(manager, big, new Shape(10, 10_000)).toFloatArray()).containsExactly(big);
            assertThat(Tensors.copyOf(manager, new float[] {1, 2}, new Shape(2)).toFloatArray()).containsExactly(1f, 2f);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tensors.copyOf(manager, new float[3], new Shape(2)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
