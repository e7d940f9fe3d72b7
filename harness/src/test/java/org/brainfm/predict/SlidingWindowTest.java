package org.brainfm.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.brainfm.model.layer.Conv;
import org.brainfm.tensor.Devices;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlidingWindowTest {

    @Test
    void windowsSpanTheAxisEvenlyWithAtLeastTheOverlap() {
        assertThat(SlidingWindow.starts(100, 64, 0.5)).containsExactly(0, 18, 36);
        assertThat(SlidingWindow.starts(64, 64, 0.5)).containsExactly(0);
        assertThat(SlidingWindow.starts(65, 64, 0)).containsExactly(0, 1);
        assertThat(SlidingWindow.starts(160, 64, 0.5)).containsExactly(0, 32, 64, 96);
        // shorter than the patch: one window centred on it, padded on both sides
        assertThat(SlidingWindow.starts(50, 64, 0.5)).containsExactly(-7);
        for (int extent = 65; extent < 300; extent += 7) {
            for (double overlap : new double[] {0, 0.25, 0.5, 0.75}) {
                int[] s = SlidingWindow.starts(extent, 64, overlap);
                assertThat(s[0]).isZero();
                assertThat(s[s.length - 1] + 64).isEqualTo(extent);
                for (int i = 1; i < s.length; i++) {
                    assertThat(s[i] - s[i - 1]).isBetween(1, (int) Math.ceil(64 * (1 - overlap)));
                }
            }
        }
    }

    @Test
    void gaussianIsOneAtTheCentreAndFallsOffAsTheFormulaSays() {
        int[] patch = {9, 7, 5};
        double scale = 1.0 / 8;
        float[] w = SlidingWindow.gaussian(patch, scale);
        assertThat(w).hasSize(9 * 7 * 5);
        assertThat(w[4 + 9 * (3 + 7 * 2)]).isEqualTo(1f);
        for (int z = 0; z < 5; z++) {
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 9; x++) {
                    double e = Math.exp(-Math.pow(x - 4, 2) / (2 * Math.pow(9 * scale, 2))
                            - Math.pow(y - 3, 2) / (2 * Math.pow(7 * scale, 2))
                            - Math.pow(z - 2, 2) / (2 * Math.pow(5 * scale, 2)));
                    float v = w[x + 9 * (y + 7 * z)];
                    assertThat(v).isPositive();
                    assertThat((double) v).isCloseTo(Math.max(e, Float.MIN_NORMAL), within(1e-6 * Math.max(e, 1e-30)));
                    // symmetric about the centre
                    assertThat(v).isEqualTo(w[(8 - x) + 9 * ((6 - y) + 7 * (4 - z))]);
                }
            }
        }
        // an even extent is centred between its two middle voxels
        float[] even = SlidingWindow.gaussian(new int[] {4, 1, 1}, 0.5);
        assertThat(even[1]).isEqualTo(even[2]).isLessThan(1f);
        assertThat(even[0]).isEqualTo(even[3]).isLessThan(even[1]);
    }

    /** A voxel-wise function is the same whether run on windows or on the whole volume. */
    @ParameterizedTest
    @CsvSource({"37,29,23,16,0.5", "40,40,40,16,0.25", "12,30,9,16,0.5", "16,16,16,16,0.5", "33,17,50,8,0.75"})
    void voxelWiseModelOnWindowsEqualsTheWholeVolume(int nx, int ny, int nz, int p, double overlap) {
        Volume image = random(new int[] {nx, ny, nz, 2}, 7);
        PatchModel model = new VoxelWise(new int[] {p, p, p});
        Volume out = new SlidingWindow(overlap, 1.0 / 8, 3).dense(model, image);
        assertThat(out.shape()).containsExactly(nx, ny, nz, 3);
        assertThat(out.affine()).isDeepEqualTo(image.affine());
        float[] expected = VoxelWise.apply(image.data(), nx * ny * nz);
        for (int i = 0; i < expected.length; i++) {
            assertThat(out.data()[i]).isCloseTo(expected[i], within(1e-5f));
        }
    }

    /** A fixed-weight 1x1x1 convolution on DJL: windows blended by the Gaussian give the whole-volume result. */
    @Test
    void pointwiseConvolutionOnDjlMatchesTheWholeVolume() {
        int nx = 30;
        int ny = 21;
        int nz = 26;
        Volume image = random(new int[] {nx, ny, nz, 2}, 3);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Conv conv = Conv.pointwise(2, 3);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 16, 16, 16));
            PatchModel model = new DjlPatchModel(conv, manager, new int[] {16, 16, 16}, 2, 3, true);
            Volume windowed = new SlidingWindow(0.5, 1.0 / 8, 2).dense(model, image);
            float[] whole = conv.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(image.data(), new Shape(1, 2, nz, ny, nx))), false).get(0).toFloatArray();
            assertThat(windowed.data()).hasSize(whole.length);
            for (int i = 0; i < whole.length; i++) {
                assertThat(windowed.data()[i]).isCloseTo(whole[i], within(1e-5f));
            }
        }
    }

    @Test
    void classificationAveragesLogProbabilitiesOverWindows() {
        // the logits of a window are (0, mean of its input): windows differ, so the average matters
        Volume image = random(new int[] {20, 8, 8}, 11);
        PatchModel model = new WindowMean(new int[] {8, 8, 8}, 2);
        SlidingWindow sw = new SlidingWindow(0.5, 1.0 / 8, 2);
        double[][] logits = sw.perWindow(model, image);
        assertThat(logits).hasNumberOfRows(SlidingWindow.starts(20, 8, 0.5).length);
        double[] meanLogP = new double[2];
        for (double[] l : logits) {
            double norm = Math.log(Math.exp(l[0]) + Math.exp(l[1]));
            meanLogP[0] += (l[0] - norm) / logits.length;
            meanLogP[1] += (l[1] - norm) / logits.length;
        }
        double z = Math.exp(meanLogP[0]) + Math.exp(meanLogP[1]);
        double[] p = sw.classify(model, image);
        assertThat(p[0]).isCloseTo(Math.exp(meanLogP[0]) / z, within(1e-12));
        assertThat(p[1]).isCloseTo(Math.exp(meanLogP[1]) / z, within(1e-12));
        assertThat(p[0] + p[1]).isCloseTo(1, within(1e-12));
    }

    @Test
    void regressionTakesTheMedianOverWindows() {
        Volume image = random(new int[] {8, 8, 27}, 5);
        PatchModel model = new WindowMean(new int[] {8, 8, 8}, 1);
        SlidingWindow sw = new SlidingWindow(0.5, 1.0 / 8, 4);
        double[] perWindow = Arrays.stream(sw.perWindow(model, image)).mapToDouble(r -> r[0]).sorted().toArray();
        assertThat(perWindow).hasSize(SlidingWindow.starts(27, 8, 0.5).length).hasSize(6);
        assertThat(sw.regress(model, image)[0]).isCloseTo((perWindow[2] + perWindow[3]) / 2, within(1e-12));
        Volume odd = random(new int[] {8, 8, 24}, 5);
        double[] w = Arrays.stream(sw.perWindow(model, odd)).mapToDouble(r -> r[0]).sorted().toArray();
        assertThat(w).hasSize(5);
        assertThat(sw.regress(model, odd)[0]).isEqualTo(w[2]);
    }

    static Volume random(int[] shape, long seed) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] d = new float[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            d[i] = (float) r.nextGaussian();
        }
        double[][] affine = {{-1.5, 0, 0, 40}, {0, 2, 0, -20}, {0, 0, 1.2, 5}, {0, 0, 0, 1}};
        return new Volume(shape, d, affine);
    }

    /** Three outputs per voxel from two input channels, nonlinear, no neighbourhood. */
    private record VoxelWise(int[] patch) implements PatchModel {
        static float[] apply(float[] in, int voxels) {
            int count = in.length / (2 * voxels);
            float[] out = new float[count * 3 * voxels];
            for (int n = 0; n < count; n++) {
                for (int v = 0; v < voxels; v++) {
                    float a = in[(n * 2) * voxels + v];
                    float b = in[(n * 2 + 1) * voxels + v];
                    out[(n * 3) * voxels + v] = a * b;
                    out[(n * 3 + 1) * voxels + v] = (float) Math.tanh(a) - b;
                    out[(n * 3 + 2) * voxels + v] = 1f;
                }
            }
            return out;
        }

        @Override
        public int channels() {
            return 2;
        }

        @Override
        public int outputs() {
            return 3;
        }

        @Override
        public boolean dense() {
            return true;
        }

        @Override
        public float[] predict(float[] patches, int count) {
            return apply(patches, patch[0] * patch[1] * patch[2]);
        }
    }

    /** One vector per window: (0, mean) for two outputs, (mean) for one. */
    private record WindowMean(int[] patch, int outputs) implements PatchModel {
        @Override
        public int channels() {
            return 1;
        }

        @Override
        public boolean dense() {
            return false;
        }

        @Override
        public float[] predict(float[] patches, int count) {
            int voxels = patches.length / count;
            float[] out = new float[count * outputs];
            for (int n = 0; n < count; n++) {
                double sum = 0;
                for (int v = 0; v < voxels; v++) {
                    sum += patches[n * voxels + v];
                }
                out[n * outputs + outputs - 1] = (float) (sum / voxels);
            }
            return out;
        }
    }

    @Test
    void windowsCoverEveryVoxel() {
        SlidingWindow sw = new SlidingWindow(0.5, 1.0 / 8, 1);
        List<int[]> w = sw.windows(new int[] {70, 20, 33}, new int[] {16, 16, 16});
        boolean[] covered = new boolean[70 * 20 * 33];
        for (int[] lo : w) {
            for (int z = Math.max(0, lo[2]); z < Math.min(33, lo[2] + 16); z++) {
                for (int y = Math.max(0, lo[1]); y < Math.min(20, lo[1] + 16); y++) {
                    for (int x = Math.max(0, lo[0]); x < Math.min(70, lo[0] + 16); x++) {
                        covered[x + 70 * (y + 20 * z)] = true;
                    }
                }
            }
        }
        for (boolean c : covered) {
            assertThat(c).isTrue();
        }
    }
}
