package org.brainfm.model.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Building blocks against independent computations written out by definition. */
class BlocksTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Devices.manager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray random(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return manager.create(v, new Shape(shape));
    }

    private static NDArray run(Layer layer, NDArray x) {
        layer.initialize(manager, DataType.FLOAT32, x.getShape());
        return layer.apply(new Pass(new ParameterStore(manager, false), false), x);
    }

    @Test
    void upsamplingIsTransposedConvolutionWithKernelTwoStrideTwo() {
        int cin = 3;
        int cout = 2;
        int d = 3;
        int h = 4;
        int w = 5;
        TransposedConv up = new TransposedConv(cin, cout, 2);
        NDArray x = random(1, 1, cin, d, h, w);
        run(up, x);
        up.getParameters().get("bias").getArray().set(random(2, cout).toFloatArray());
        float[] y = up.apply(new Pass(new ParameterStore(manager, false), false), x).toFloatArray();
        float[] weight = up.getParameters().get("weight").getArray().toFloatArray();
        float[] bias = up.getParameters().get("bias").getArray().toFloatArray();
        float[] in = x.toFloatArray();

        // PyTorch's ConvTranspose3d(k=2, s=2, p=0) by definition: every input voxel scatters
        // weight[ci][co] into the 2x2x2 output block at twice its position.
        float[] expected = new float[cout * 8 * d * h * w];
        int oh = 2 * h;
        int ow = 2 * w;
        for (int co = 0; co < cout; co++) {
            for (int i = 0; i < 2 * d * oh * ow; i++) {
                expected[co * 2 * d * oh * ow + i] = bias[co];
            }
        }
        for (int ci = 0; ci < cin; ci++) {
            for (int z = 0; z < d; z++) {
                for (int yy = 0; yy < h; yy++) {
                    for (int xx = 0; xx < w; xx++) {
                        float v = in[((ci * d + z) * h + yy) * w + xx];
                        for (int co = 0; co < cout; co++) {
                            for (int kz = 0; kz < 2; kz++) {
                                for (int ky = 0; ky < 2; ky++) {
                                    for (int kx = 0; kx < 2; kx++) {
                                        float k = weight[(((ci * cout + co) * 2 + kz) * 2 + ky) * 2 + kx];
                                        int o = ((co * 2 * d + 2 * z + kz) * oh + 2 * yy + ky) * ow + 2 * xx + kx;
                                        expected[o] += v * k;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(y).containsExactly(expected, within(1e-5f));
    }

    @Test
    void instanceNormNormalisesEachChannelOfEachSampleThenScalesAndShifts() {
        InstanceNorm3d norm = new InstanceNorm3d(2);
        NDArray x = random(3, 2, 2, 3, 3, 3).mul(4).add(7);
        run(norm, x);
        norm.getParameters().get("gamma").getArray().set(new float[] {2f, -1f});
        norm.getParameters().get("beta").getArray().set(new float[] {0.5f, 3f});
        float[] y = norm.apply(new Pass(new ParameterStore(manager, false), false), x).toFloatArray();
        float[] in = x.toFloatArray();
        float[] gamma = {2f, -1f};
        float[] beta = {0.5f, 3f};
        for (int bc = 0; bc < 4; bc++) {
            double mean = 0;
            for (int i = 0; i < 27; i++) {
                mean += in[bc * 27 + i];
            }
            mean /= 27;
            double var = 0;
            for (int i = 0; i < 27; i++) {
                var += Math.pow(in[bc * 27 + i] - mean, 2);
            }
            var /= 27;
            for (int i = 0; i < 27; i++) {
                double expected = (in[bc * 27 + i] - mean) / Math.sqrt(var + 1e-5) * gamma[bc % 2] + beta[bc % 2];
                assertThat((double) y[bc * 27 + i]).isCloseTo(expected, within(1e-4));
            }
        }
    }

    @Test
    void positionEmbeddingsAreResampledTrilinearlyForAnotherGrid() {
        long[] stored = {2, 3, 4};
        long[] wanted = {5, 3, 2};
        PositionEmbedding pos = new PositionEmbedding(2, stored);
        NDArray zeros = manager.zeros(new Shape(1, 2, wanted[0], wanted[1], wanted[2]));
        float[] y = run(pos, zeros).toFloatArray();
        float[] table = pos.getParameters().get("position").getArray().toFloatArray();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < wanted[0]; i++) {
                for (int j = 0; j < wanted[1]; j++) {
                    for (int k = 0; k < wanted[2]; k++) {
                        double expected = trilinear(table, c, stored, source(i, stored[0], wanted[0]),
                                source(j, stored[1], wanted[1]), source(k, stored[2], wanted[2]));
                        int at = (int) (((c * wanted[0] + i) * wanted[1] + j) * wanted[2] + k);
                        assertThat((double) y[at]).isCloseTo(expected, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void positionEmbeddingsAddUnchangedOnTheirOwnGrid() {
        PositionEmbedding pos = new PositionEmbedding(3, new long[] {2, 2, 2});
        NDArray x = random(4, 1, 3, 2, 2, 2);
        float[] y = run(pos, x).toFloatArray();
        float[] expected = x.add(pos.getParameters().get("position").getArray()).toFloatArray();
        assertThat(y).containsExactly(expected, within(0f));
    }

    /** PyTorch's align_corners=False source coordinate, clamped at 0. */
    private static double source(int out, long inSize, long outSize) {
        return Math.max(0, (out + 0.5) * inSize / outSize - 0.5);
    }

    /** Trilinear interpolation by its eight corners. */
    private static double trilinear(float[] t, int c, long[] n, double x, double y, double z) {
        double sum = 0;
        int x0 = (int) x;
        int y0 = (int) y;
        int z0 = (int) z;
        for (int dx = 0; dx < 2; dx++) {
            for (int dy = 0; dy < 2; dy++) {
                for (int dz = 0; dz < 2; dz++) {
                    double wx = dx == 0 ? 1 - (x - x0) : x - x0;
                    double wy = dy == 0 ? 1 - (y - y0) : y - y0;
                    double wz = dz == 0 ? 1 - (z - z0) : z - z0;
                    long xi = Math.min(x0 + dx, n[0] - 1);
                    long yi = Math.min(y0 + dy, n[1] - 1);
                    long zi = Math.min(z0 + dz, n[2] - 1);
                    sum += wx * wy * wz * t[(int) (((c * n[0] + xi) * n[1] + yi) * n[2] + zi)];
                }
            }
        }
        return sum;
    }

    @Test
    void residualBlockHalvesTheGridWhenItStrides() {
        ResidualBlock block = new ResidualBlock(2, 4, 2);
        NDArray y = run(block, random(5, 2, 2, 8, 8, 8));
        assertThat(y.getShape()).isEqualTo(new Shape(2, 4, 4, 4, 4));
        assertThat(block.trace(new Shape(2, 2, 8, 8, 8), new Cost())).isEqualTo(y.getShape());
    }
}
