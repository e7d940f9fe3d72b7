package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PadCropTest {

    @Test
    void padsWithTheExtraVoxelAfterAndCropsWithTheExtraVoxelAtTheEnd() {
        Volume v = Volume.of(4, 1, 1, new double[] {2, 1, 1}, new float[] {1, 2, 3, 4});

        Volume padded = PadCrop.to(new int[] {7, 1, 1}, -9f).apply(v);
        Volume cropped = PadCrop.to(new int[] {1, 1, 1}, -9f).apply(v);

        assertThat(padded.data()).containsExactly(-9, 1, 2, 3, 4, -9, -9);
        assertThat(padded.affine()[0][3]).isEqualTo(-2); // one voxel of 2 mm before the old first
        assertThat(cropped.data()).containsExactly(2);
        assertThat(cropped.affine()[0][3]).isEqualTo(2);
    }

    @Test
    void undoRestoresWhatWasKeptAndFillsWhatWasCut() {
        Volume v = Volume.of(4, 3, 1, new double[] {1, 1, 1}, TestVolumes.indices(12));
        VolumeOp.Applied done = PadCrop.to(new int[] {2, 5, 1}, 0f).run(v);

        assertThat(done.volume().shape()).containsExactly(2, 5, 1);
        Volume back = done.undo().restore(done.volume(), Interpolation.LINEAR, -1f);

        assertThat(back.data()).containsExactly(-1, 1, 2, -1, -1, 5, 6, -1, -1, 9, 10, -1);
        assertThat(Grid.of(back)).isEqualTo(Grid.of(v));
    }

    @Property(tries = 200)
    void keepsWorldCoordinatesAndUndoesPadding(@ForAll @IntRange(min = 1, max = 7) int nx, @ForAll @IntRange(min = 1, max = 7) int ny,
            @ForAll @IntRange(min = 1, max = 7) int nz, @ForAll @IntRange(min = 1, max = 9) int sx,
            @ForAll @IntRange(min = 1, max = 9) int sy, @ForAll @IntRange(min = 1, max = 9) int sz) {
        Volume v = new Volume(new int[] {nx, ny, nz}, TestVolumes.indices(nx * ny * nz),
                TestVolumes.rotated(TestVolumes.affine("ASL", new double[] {1, 1.5, 2}, new double[] {-3, 4, 8}), 10, 1, 2, 3));
        VolumeOp.Applied done = PadCrop.to(new int[] {sx, sy, sz}, -1f).run(v);
        Volume out = done.volume();

        assertThat(out.shape()).containsExactly(sx, sy, sz);
        Grid in = Grid.of(v);
        Grid grid = Grid.of(out);
        double moved = 0;
        for (int z = 0; z < sz; z++) {
            for (int y = 0; y < sy; y++) {
                for (int x = 0; x < sx; x++) {
                    int value = (int) out.get(x, y, z);
                    if (value >= 0) {
                        double[] now = grid.world(x, y, z);
                        double[] before = in.world(value % nx, (value / nx) % ny, value / (nx * ny));
                        for (int a = 0; a < 3; a++) {
                            moved = Math.max(moved, Math.abs(now[a] - before[a]));
                        }
                    }
                }
            }
        }
        assertThat(moved).as("largest shift of a voxel centre, mm").isLessThan(1e-9);
        Volume back = done.undo().restore(out, Interpolation.NEAREST, -1f);
        if (sx >= nx && sy >= ny && sz >= nz) {
            assertThat(back.data()).containsExactly(v.data());
        }
        assertThat(Grid.of(back)).isEqualTo(in);
    }
}
