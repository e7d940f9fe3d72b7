package org.brainfm.model.layer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.brainfm.tensor.Devices;
import org.brainfm.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input gradient of our 3^3 convolution against a plain loop. libtorch 2.7.1's oneDNN
 * backward-data (taken for batches above one) is wrong when the output channels are not a multiple
 * of its block (8 floats with AVX2, 16 with AVX-512), and NaN where uninitialised padding holds a
 * NaN pattern; {@link Conv#conv3d} pads the filters to a multiple of 16 (docs/pretrain.md).
 */
class ConvGradientTest {
    private static final int BATCH = 2;
    private static final int IN = 8;
    private static final int EDGE = 12;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 12, 16, 20})
    void theInputGradientIsTheConvolutionsTransposeForEveryChannelCount(int out) {
        assertThat(largestError(out, (x, w) -> Conv.conv3d(x, w, null, 1, 1))).isLessThan(1e-4);
    }

    /**
     * The control: libtorch's own call, unpadded, with four output channels, is wrong - the reason
     * for the padding. If this starts to pass, a libtorch upgrade fixed it and the padding may go.
     */
    @Test
    void libtorchsOwnCallIsWrongForFourOutputChannels() {
        double error = largestError(4, (x, w) -> Conv3d.conv3d(x, w, null, new Shape(1, 1, 1), new Shape(1, 1, 1),
                new Shape(1, 1, 1), 1).singletonOrThrow());
        assertThat(Double.isNaN(error) || error > 0.1).as("largest error %s", error).isTrue();
    }

    /** The largest |dx - reference| of sum(conv(x, w) * g); NaN when the gradient is not finite. */
    private static double largestError(int out, BiFunction<NDArray, NDArray, NDArray> conv) {
        SplittableRandom random = new SplittableRandom(out);
        int voxels = EDGE * EDGE * EDGE;
        float[] w = gaussian(random, out * IN * 27, 0.1);
        float[] x = gaussian(random, BATCH * IN * voxels, 1);
        float[] g = gaussian(random, BATCH * out * voxels, 1);
        float[] dx;
        try (NDManager manager = Devices.manager(Device.cpu())) {
            NDArray xa = Tensors.copyOf(manager, x, new Shape(BATCH, IN, EDGE, EDGE, EDGE));
            xa.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine(Devices.ENGINE).newGradientCollector()) {
                NDArray y = conv.apply(xa, Tensors.copyOf(manager, w, new Shape(out, IN, 3, 3, 3)));
                collector.backward(y.mul(Tensors.copyOf(manager, g, new Shape(BATCH, out, EDGE, EDGE, EDGE))).sum());
            }
            dx = xa.getGradient().toFloatArray();
        }
        double worst = 0;
        for (int n = 0; n < BATCH; n++) {
            for (int i = 0; i < IN; i++) {
                for (int z = 0; z < EDGE; z++) {
                    for (int y = 0; y < EDGE; y++) {
                        for (int xx = 0; xx < EDGE; xx++) {
                            double expected = 0;
                            for (int o = 0; o < out; o++) {
                                for (int kz = 0; kz < 3; kz++) {
                                    for (int ky = 0; ky < 3; ky++) {
                                        for (int kx = 0; kx < 3; kx++) {
                                            int oz = z - kz + 1;
                                            int oy = y - ky + 1;
                                            int ox = xx - kx + 1;
                                            if (oz >= 0 && oy >= 0 && ox >= 0 && oz < EDGE && oy < EDGE && ox < EDGE) {
                                                expected += w[(((o * IN + i) * 3 + kz) * 3 + ky) * 3 + kx]
                                                        * g[(n * out + o) * voxels + (oz * EDGE + oy) * EDGE + ox];
                                            }
                                        }
                                    }
                                }
                            }
                            float got = dx[(n * IN + i) * voxels + (z * EDGE + y) * EDGE + xx];
                            if (!Float.isFinite(got)) {
                                return Double.NaN;
                            }
                            worst = Math.max(worst, Math.abs(got - expected));
                        }
                    }
                }
            }
        }
        return worst;
    }

    private static float[] gaussian(SplittableRandom random, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * sd);
        }
        return v;
    }
}
