package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {
    private static final double[] MM = {1, 1, 1};

    @Test
    void patchIsChannelsThenZYXAndPaddedPastTheEdges() {
        Volume t1 = Volume.of(3, 3, 3, MM, TestVolumes.indices(27));
        float[] negated = TestVolumes.indices(27);
        for (int i = 0; i < 27; i++) {
            negated[i] = -negated[i] - 1;
        }
        Volume image = Channels.stack(t1, Volume.of(3, 3, 3, MM, negated));
        PatchSampler sampler = new PatchSampler(image, null, new int[] {2, 2, 2}, 0.33, 99f);

        // centre voxel index (1, 1, 1) of the patch is voxel (0, 0, 0): the patch starts at (-1, -1, -1)
        PatchSampler.Patch p = sampler.at(0, 0, 0);

        assertThat(p.channels()).isEqualTo(2);
        assertThat(p.start()).containsExactly(-1, -1, -1);
        assertThat(p.image()).containsExactly(99, 99, 99, 99, 99, 99, 99, 0, 99, 99, 99, 99, 99, 99, 99, -1);
        assertThat(p.label()).isNull();
    }

    @Test
    void sameSeedSamePatches() {
        Volume image = Volume.of(9, 8, 7, MM, TestVolumes.random(504, 1, 1));
        Volume label = Volume.of(9, 8, 7, MM, new float[504]);
        label.set(4, 4, 4, 1);
        PatchSampler sampler = new PatchSampler(image, label, new int[] {4, 3, 5}, 0.5, 0f);
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 20; i++) {
            PatchSampler.Patch pa = sampler.sample(a);
            PatchSampler.Patch pb = sampler.sample(b);
            assertThat(pa.start()).containsExactly(pb.start());
            assertThat(pa.image()).containsExactly(pb.image());
            assertThat(pa.label()).containsExactly(pb.label());
        }
        assertThat(sampler.sample(new Random(7)).start()).containsExactly(sampler.sample(new Random(7)).start());
    }

    @Test
    void oversamplesForegroundAtTheGivenRateAndClassesEvenly() {
        Volume image = Volume.of(40, 40, 40, MM, new float[64000]);
        Volume label = Volume.of(40, 40, 40, MM, new float[64000]);
        label.set(5, 6, 7, 2); // one voxel of class 2
        for (int x = 20; x < 30; x++) {
            for (int y = 20; y < 30; y++) {
                label.set(x, y, 20, 1); // 100 voxels of class 1
            }
        }
        PatchSampler sampler = new PatchSampler(image, label, new int[] {3, 3, 3}, 0.33, 0f);
        SplittableRandom random = new SplittableRandom(3);
        int foreground = 0;
        int rare = 0;
        int n = 3000;
        for (int i = 0; i < n; i++) {
            PatchSampler.Patch p = sampler.sample(random);
            float centre = p.label()[1 + 3 * (1 + 3)];
            if (p.foreground()) {
                foreground++;
                assertThat(centre).isPositive();
                rare += centre == 2 ? 1 : 0;
            }
        }
        assertThat(sampler.foregroundClasses()).isEqualTo(2);
        // binomial(3000, 0.33): sd 26; the uniform class choice gives the 1-voxel class half the picks
        assertThat(foreground).isBetween(900, 1080);
        assertThat(rare).isBetween(foreground / 2 - 80, foreground / 2 + 80);
    }

    @Test
    void withoutForegroundEveryPatchIsRandom() {
        Volume image = Volume.of(5, 5, 5, MM, new float[125]);
        PatchSampler unlabelled = new PatchSampler(image, null, new int[] {2, 2, 2}, 1, 0f);
        PatchSampler empty = new PatchSampler(image, Volume.of(5, 5, 5, MM, new float[125]), new int[] {2, 2, 2}, 1, 0f);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            assertThat(unlabelled.sample(random).foreground()).isFalse();
            assertThat(empty.sample(random).foreground()).isFalse();
        }
    }

    @Test
    void rejectsMismatchedLabelsAndBadSizes() {
        Volume image = Volume.of(5, 5, 5, MM, new float[125]);
        assertThatThrownBy(() -> new PatchSampler(image, Volume.of(5, 5, 4, MM, new float[100]), new int[] {2, 2, 2}, 0.3, 0f))
                .hasMessageContaining("not a 3D map on the image's grid");
        assertThatThrownBy(() -> new PatchSampler(image, null, new int[] {2, 0, 2}, 0.3, 0f)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new PatchSampler(image, null, new int[] {2, 2, 2}, 1.5, 0f)).hasMessageContaining("[0, 1]");
    }
}
