package org.brainfm.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The subject-code cosines of the held-out check and their permutation test. */
class HeldOutCheckTest {
    /** Sessions of different subjects: each pair is a common vector + the subject's own part + a little noise. */
    private static List<float[][]> codes(double common, int sessions) {
        SplittableRandom random = new SplittableRandom(3);
        List<float[][]> codes = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
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
    void aSessionsOwnCodesAreFoundBeyondAnyCommonPart() {
        List<String> subjects = List.of("a", "b", "c", "d", "e", "f");
        List<float[][]> codes = codes(20, 6);
        double[] raw = HeldOutCheck.sessionCosines(codes, subjects);
        // the common part makes every cosine near 1; the permutation test still sees the pairing
        assertThat(raw[0]).isGreaterThan(0.99);
        assertThat(raw[1]).isGreaterThan(0.99);
        assertThat(raw[0] - raw[1]).isPositive();
        // 6! = 720 deals, one of which is the observed: p near 1/720 (not below the 1/(m+1) floor)
        assertThat(HeldOutCheck.permutationP(codes, subjects, 5000, 1)).isBetween(1.0 / 5001, 0.01);
    }

    @Test
    void codesThatSayNothingOfTheSessionAreNotSignificant() {
        List<String> subjects = List.of("a", "b", "c", "d", "e", "f");
        SplittableRandom random = new SplittableRandom(5);
        List<float[][]> codes = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            float[][] pair = new float[2][16];
            for (float[] code : pair) {
                for (int i = 0; i < code.length; i++) {
                    code[i] = (float) random.nextGaussian();
                }
            }
            codes.add(pair);
        }
        assertThat(HeldOutCheck.permutationP(codes, subjects, 5000, 1)).isGreaterThan(0.05);
    }

    @Test
    void noOtherSubjectsIsNotANumber() {
        double[] one = HeldOutCheck.sessionCosines(codes(0, 1), List.of("a"));
        assertThat(one[0]).isGreaterThan(0.95);
        assertThat(one[1]).isNaN();
    }
}
