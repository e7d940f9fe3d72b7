package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A whole nnU-Net-style chain, and putting a prediction on its output grid back on the input's. */
class VolumeOpTest {

    private static Volume headInBox() {
        // an LPI-oriented 2 x 1 x 1.5 mm volume with a bright ellipsoid off centre and zeros around it
        int[] n = {30, 40, 24};
        Volume v = new Volume(n, new float[n[0] * n[1] * n[2]],
                TestVolumes.affine("LPI", new double[] {2, 1, 1.5}, new double[] {30, 20, 18}));
        for (int z = 0; z < n[2]; z++) {
            for (int y = 0; y < n[1]; y++) {
                for (int x = 0; x < n[0]; x++) {
                    double r = Math.pow((x - 12) / 8.0, 2) + Math.pow((y - 22) / 12.0, 2) + Math.pow((z - 10) / 7.0, 2);
                    if (r < 1) {
                        v.set(x, y, z, (float) (100 + 50 * r));
                    }
                }
            }
        }
        return v;
    }

    @Test
    void gridStepsUndoExactlyInReverseOrder() {
        Volume v = headInBox();
        VolumeOp chain = Reorient.toRas().then(Crop.toNonzero(1)).then(ZScore.nonzero()).then(PadCrop.to(new int[] {24, 32, 16}, 0f));

        VolumeOp.Applied done = chain.run(v);
        Volume mask = done.volume().withData(binary(done.volume().data()));
        Volume back = done.undo().restore(mask, Interpolation.NEAREST, 0f);

        assertThat(Orientation.code(done.volume().affine())).isEqualTo("RAS");
        assertThat(done.volume().shape()).containsExactly(24, 32, 16);
        assertThat(Grid.of(back)).isEqualTo(Grid.of(v));
        assertThat(back.data()).containsExactly(binary(v.data()));
    }

    @Test
    void resamplingChainBringsALabelMapBackOnTheInputGrid() {
        Volume v = headInBox();
        VolumeOp chain = VolumeOp.chain(Reorient.toRas(), Crop.toNonzero(2),
                Resample.toSpacing(Interpolation.LINEAR, 1.25, 1.25, 1.25));

        VolumeOp.Applied done = chain.run(v);
        // a segmentation on the resampled grid: the ellipsoid's edge (150 against 0) at half height
        float[] segmented = new float[done.volume().data().length];
        for (int i = 0; i < segmented.length; i++) {
            segmented[i] = done.volume().data()[i] > 75 ? 1 : 0;
        }
        Volume back = done.undo().restore(done.volume().withData(segmented), Interpolation.NEAREST, 0f);

        assertThat(done.volume().spacing()).containsExactly(1.25, 1.25, 1.25);
        assertThat(Grid.of(back)).isEqualTo(Grid.of(v));
        Volume truth = v.withData(binary(v.data()));
        int wrong = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    if (back.get(x, y, z) != truth.get(x, y, z)) {
                        wrong++;
                        assertThat(onSurface(truth, x, y, z)).as("voxel %d %d %d", x, y, z).isTrue();
                    }
                }
            }
        }
        assertThat(wrong).isPositive().isLessThan(200);
    }

    /** Whether a 26-neighbour of (x, y, z) has the other value. */
    private static boolean onSurface(Volume mask, int x, int y, int z) {
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int a = x + dx;
                    int b = y + dy;
                    int c = z + dz;
                    if (a >= 0 && b >= 0 && c >= 0 && a < mask.nx() && b < mask.ny() && c < mask.nz()
                            && mask.get(a, b, c) != mask.get(x, y, z)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static float[] binary(float[] data) {
        float[] b = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            b[i] = data[i] != 0 ? 1 : 0;
        }
        return b;
    }
}
