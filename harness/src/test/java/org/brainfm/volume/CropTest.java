package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CropTest {

    @Test
    void nonzeroBoxGrowsByTheMarginAndStopsAtTheEdges() {
        Volume v = Volume.of(6, 5, 4, new double[] {1, 1, 1}, new float[120]);
        v.set(2, 1, 3, 4f);
        v.set(3, 3, 3, -1f);

        assertThat(BoundingBox.nonzero(v, 0)).isEqualTo(new BoundingBox(new int[] {2, 1, 3}, new int[] {4, 4, 4}));
        assertThat(BoundingBox.nonzero(v, 1)).isEqualTo(new BoundingBox(new int[] {1, 0, 2}, new int[] {5, 5, 4}));
        assertThat(BoundingBox.nonzero(Volume.of(2, 2, 2, new double[] {1, 1, 1}, new float[8]), 3))
                .isEqualTo(new BoundingBox(new int[] {0, 0, 0}, new int[] {2, 2, 2}));
    }

    @Test
    void nonzeroBoxSpansEveryFrame() {
        float[] data = new float[2 * 27];
        data[0] = 1; // frame 0, voxel (0,0,0)
        data[27 + 26] = 1; // frame 1, voxel (2,2,2)
        Volume v = new Volume(new int[] {3, 3, 3, 2}, data, Volume.of(1, 1, 1, new double[] {1, 1, 1}, new float[1]).affine());
        assertThat(BoundingBox.nonzero(v, 0).size()).containsExactly(3, 3, 3);
    }

    @Test
    void cropKeepsValuesAndWorldCoordinates() {
        Volume v = new Volume(new int[] {4, 3, 2}, TestVolumes.indices(24),
                TestVolumes.rotated(TestVolumes.affine("LPS", new double[] {1, 2, 3}, new double[] {5, 6, 7}), 30, 1, 0, 0));
        BoundingBox box = new BoundingBox(new int[] {1, 1, 1}, new int[] {3, 3, 2});

        Volume c = Crop.crop(v, box);

        assertThat(c.shape()).containsExactly(2, 2, 1);
        assertThat(c.data()).containsExactly(17, 18, 21, 22);
        assertThat(Grid.of(c).world(1, 1, 0)).containsExactly(Grid.of(v).world(2, 2, 1), within(1e-9));
        assertThatThrownBy(() -> Crop.crop(v, new BoundingBox(new int[] {0, 0, 0}, new int[] {5, 3, 2})))
                .hasMessageContaining("outside");
    }

    @Test
    void pasteFillsAroundTheBox() {
        Volume v = Volume.of(3, 1, 1, new double[] {1, 1, 1}, new float[] {1, 2, 3});
        VolumeOp.Applied done = Crop.to(new BoundingBox(new int[] {1, 0, 0}, new int[] {2, 1, 1})).run(v);
        assertThat(done.volume().data()).containsExactly(2);
        Volume back = done.undo().restore(done.volume().withData(new float[] {9}), Interpolation.NEAREST, -1f);
        assertThat(back.data()).containsExactly(-1, 9, -1);
        assertThat(Grid.of(back)).isEqualTo(Grid.of(v));
        assertThatThrownBy(() -> done.undo().restore(v, Interpolation.NEAREST, 0f)).hasMessageContaining("extent [1, 1, 1]");
    }

    /** Cropping to the nonzero box and pasting back restores the volume, frames and all. */
    @Property(tries = 200)
    void cropThenPasteRestoresTheContent(@ForAll @IntRange(min = 1, max = 8) int nx, @ForAll @IntRange(min = 1, max = 8) int ny,
            @ForAll @IntRange(min = 1, max = 8) int nz, @ForAll @IntRange(min = 1, max = 2) int frames,
            @ForAll @IntRange(min = 0, max = 3) int margin, @ForAll @IntRange(min = 0, max = 6) int blobs, @ForAll long seed) {
        int[] shape = {nx, ny, nz, frames};
        float[] data = new float[TestVolumes.product(shape)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < blobs; b++) {
            data[random.nextInt(data.length)] = (float) random.nextDouble(-5, 5);
        }
        Volume v = new Volume(shape, data, TestVolumes.affine("PIL", new double[] {1, 2, 0.5}, new double[] {1, 2, 3}));

        VolumeOp.Applied done = Crop.toNonzero(margin).run(v);
        Volume cropped = done.volume();
        Volume back = done.undo().restore(cropped, Interpolation.NEAREST, 0f);

        assertThat(back.shape()).containsExactly(shape);
        assertThat(back.data()).containsExactly(data);
        assertThat(back.affine()).isDeepEqualTo(v.affine());
        BoundingBox box = BoundingBox.nonzero(v, margin);
        int[] lo = box.lo();
        assertThat(Grid.of(cropped).world(0, 0, 0)).containsExactly(Grid.of(v).world(lo[0], lo[1], lo[2]), within(1e-9));
    }
}
