package org.brainfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentTest {
    private static final int[] SIZE = {6, 5, 4};
    private static final int VOXELS = 120;

    private static float[] ramp(int channels) {
        float[] v = new float[VOXELS * channels];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.7) + i % VOXELS * 0.01f;
        }
        return v;
    }

    private static float at(float[] v, int c, int x, int y, int z) {
        return v[c * VOXELS + x + SIZE[0] * (y + SIZE[1] * z)];
    }

    @Test
    void noneLeavesThePatchAlone() {
        float[] image = ramp(2);
        Augment.Sample s = Augment.none().apply(image, null, 2, SIZE, new SplittableRandom(1));
        assertThat(s.image()).containsExactly(image);
        assertThat(s.label()).isNull();
    }

    @Test
    void flipsMirrorEveryAxisForImageAndLabelAlike() {
        Augment flipAll = new Augment(1, 0, 0, 0, 1, 1, 0, 0, 0, 0);
        float[] image = ramp(2);
        float[] label = ramp(1);
        Augment.Sample s = flipAll.apply(image, label, 2, SIZE, new SplittableRandom(1));
        assertThat(at(s.image(), 1, 0, 0, 0)).isEqualTo(at(image, 1, 5, 4, 3));
        assertThat(at(s.image(), 0, 2, 1, 3)).isEqualTo(at(image, 0, 3, 3, 0));
        assertThat(at(s.label(), 0, 2, 1, 3)).isEqualTo(at(label, 0, 3, 3, 0));
        Augment.Sample back = flipAll.apply(s.image(), null, 2, SIZE, new SplittableRandom(1));
        assertThat(back.image()).containsExactly(image);
    }

    @Test
    void rotationsAreSharedByChannelsAndKeepLabelValues() {
        Augment rotate = new Augment(0, 1, 10, 0, 1, 1, 0, 0, 0, 0);
        float[] one = ramp(1);
        float[] two = new float[2 * VOXELS];
        System.arraycopy(one, 0, two, 0, VOXELS);
        System.arraycopy(one, 0, two, VOXELS, VOXELS);
        float[] label = new float[VOXELS];
        for (int i = 0; i < VOXELS; i++) {
            label[i] = i % 3;
        }
        Augment.Sample s = rotate.apply(two, label, 2, SIZE, new SplittableRandom(5));
        for (int i = 0; i < VOXELS; i++) {
            assertThat(s.image()[i]).isEqualTo(s.image()[VOXELS + i]);
            assertThat(s.label()[i]).isIn(0f, 1f, 2f);
        }
        assertThat(s.image()).isNotEqualTo(two);
        Augment still = new Augment(0, 1, 0, 0, 1, 1, 0, 0, 0, 0);
        float[] same = still.apply(one, null, 1, SIZE, new SplittableRandom(5)).image();
        for (int i = 0; i < VOXELS; i++) {
            assertThat(same[i]).isCloseTo(one[i], within(1e-5f));
        }
    }

    @Test
    void gammaKeepsTheRangeAndIntensityChangesArePerChannel() {
        Augment gammaOnly = new Augment(0, 0, 0, 1, 0.5, 0.5, 0, 0, 0, 0);
        float[] image = ramp(1);
        float[] out = gammaOnly.apply(image, null, 1, SIZE, new SplittableRandom(3)).image();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        float outMin = Float.MAX_VALUE;
        float outMax = -Float.MAX_VALUE;
        for (int i = 0; i < VOXELS; i++) {
            min = Math.min(min, image[i]);
            max = Math.max(max, image[i]);
            outMin = Math.min(outMin, out[i]);
            outMax = Math.max(outMax, out[i]);
        }
        assertThat(outMin).isCloseTo(min, within(1e-5f));
        assertThat(outMax).isCloseTo(max, within(1e-5f));
        Augment noisy = new Augment(0, 0, 0, 0, 1, 1, 1, 0.5, 1, 0.3);
        float[] two = ramp(2);
        System.arraycopy(two, 0, two, VOXELS, VOXELS);
        float[] n = noisy.apply(two, null, 2, SIZE, new SplittableRandom(3)).image();
        assertThat(java.util.Arrays.copyOfRange(n, 0, VOXELS)).isNotEqualTo(java.util.Arrays.copyOfRange(n, VOXELS, 2 * VOXELS));
    }

    @Test
    void sameGeneratorStateSameAugmentation() {
        float[] image = ramp(1);
        float[] a = Augment.defaults().apply(image, null, 1, SIZE, new SplittableRandom(11)).image();
        float[] b = Augment.defaults().apply(image, null, 1, SIZE, new SplittableRandom(11)).image();
        assertThat(a).containsExactly(b);
    }
}
