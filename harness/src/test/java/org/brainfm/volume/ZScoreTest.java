package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ZScoreTest {

    @Test
    void scalesNonzeroVoxelsAndKeepsZeros() {
        // nonzero 2, 4, 6: mean 4, population std sqrt(8/3)
        Volume v = Volume.of(5, 1, 1, new double[] {1, 1, 1}, new float[] {0, 2, 4, 0, 6});
        float s = (float) Math.sqrt(8 / 3.0);
        assertThat(ZScore.nonzero().apply(v).data()).containsExactly(new float[] {0, -2 / s, 0, 0, 2 / s}, within(1e-6f));
    }

    @Test
    void overAllVoxelsCountsTheZerosToo() {
        Volume v = Volume.of(4, 1, 1, new double[] {1, 1, 1}, new float[] {0, 0, 2, 2});
        assertThat(ZScore.all().apply(v).data()).containsExactly(-1, -1, 1, 1);
    }

    @Test
    void constantForegroundIsOnlyCentredAndEmptyIsLeftAlone() {
        Volume constant = Volume.of(3, 1, 1, new double[] {1, 1, 1}, new float[] {0, 0.1f, 0.1f});
        Volume empty = Volume.of(3, 1, 1, new double[] {1, 1, 1}, new float[3]);
        assertThat(ZScore.nonzero().apply(constant).data()).containsExactly(0, 0, 0);
        assertThat(ZScore.nonzero().apply(empty).data()).containsExactly(0, 0, 0);
        assertThat(ZScore.all().apply(Volume.of(2, 1, 1, new double[] {1, 1, 1}, new float[] {5, 5})).data())
                .containsExactly(0, 0);
    }

    @Test
    void eachFrameOnItsOwn() {
        Volume v = new Volume(new int[] {2, 1, 1, 2}, new float[] {1, 3, 100, 300}, Volume.of(1, 1, 1, new double[] {1, 1, 1},
                new float[1]).affine());
        assertThat(ZScore.nonzero().apply(v).data()).containsExactly(-1, 1, -1, 1);
    }

    @Property(tries = 100)
    void nonzeroVoxelsEndWithMeanZeroAndStdOne(@ForAll @IntRange(min = 2, max = 2000) int n,
            @ForAll @DoubleRange(min = 0, max = 0.9) double zeros, @ForAll @DoubleRange(min = -1000, max = 1000) double offset,
            @ForAll @DoubleRange(min = 0.01, max = 500) double scale, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[n];
        data[0] = (float) (Math.abs(offset) + scale); // at least two distinct nonzero values
        data[1] = -data[0];
        for (int i = 2; i < n; i++) {
            data[i] = random.nextDouble() < zeros ? 0 : (float) (offset + scale * random.nextGaussian());
        }
        float[] out = ZScore.nonzero().apply(Volume.of(n, 1, 1, new double[] {1, 1, 1}, data)).data();
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (data[i] == 0) {
                assertThat(out[i]).isZero();
            } else {
                sum += out[i];
                squares += (double) out[i] * out[i];
                count++;
            }
        }
        double mean = sum / count;
        assertThat(mean).isCloseTo(0, within(1e-4));
        assertThat(Math.sqrt(squares / count - mean * mean)).isCloseTo(1, within(1e-4));
    }
}
