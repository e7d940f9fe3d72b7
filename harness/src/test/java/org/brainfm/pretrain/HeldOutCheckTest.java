package org.brainfm.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The subject-code cosines of the held-out check, raw and less the mean code. */
class HeldOutCheckTest {
    /** Three sessions of three subjects: each pair is a common vector + the subject's own part + a little noise. */
    private static List<float[][]> codes(double common) {
        SplittableRandom random = new SplittableRandom(3);
        List<float[][]> codes = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            float[] own = new float[16];
            for (int i = 0; i < own.length; i++) {
                own[i] = (float) random.nextGaussian();
            }
            float[][] pair = new float[2][16];
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < own.length; i++) {
                    pair[k][i] = (float) (common * (i % 2 == 0 ? 1 : -1) + own[i] + 0.1 * random.nextGaussian());
                }
            }
            codes.add(pair);
        }
        return codes;
    }

    @Test
    void aLargeCommonPartHidesWhatTheMeanCodeRemovalShows() {
        List<String> subjects = List.of("a", "b", "c");
        List<float[][]> codes = codes(20);
        double[] raw = HeldOutCheck.sessionCosines(codes, subjects);
        assertThat(raw[0]).isGreaterThan(0.99);
        assertThat(raw[1]).isGreaterThan(0.99);
        HeldOutCheck.subtractMean(codes);
        double[] centred = HeldOutCheck.sessionCosines(codes, subjects);
        assertThat(centred[0]).isGreaterThan(0.95);
        assertThat(centred[1]).isLessThan(0.2);
        // the mean of the centred codes is 0
        for (int i = 0; i < 16; i++) {
            double sum = 0;
            for (float[][] pair : codes) {
                sum += pair[0][i] + pair[1][i];
            }
            assertThat(sum).isCloseTo(0, within(1e-3));
        }
    }

    @Test
    void noOtherSubjectsIsNotANumber() {
        double[] one = HeldOutCheck.sessionCosines(codes(0).subList(0, 1), List.of("a"));
        assertThat(one[0]).isGreaterThan(0.95);
        assertThat(one[1]).isNaN();
    }
}
