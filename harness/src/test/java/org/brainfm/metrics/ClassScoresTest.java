package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-class scores: the edge-case conventions by hand, then random label maps against scipy. */
class ClassScoresTest {
    @TempDir
    Path dir;

    @Test
    void eachClassIsAMaskAndTheMeanSkipsClassesAbsentFromBoth() {
        DistanceGrid line = DistanceGrid.of(6, 1, 1, 1, 1, 1);
        float[] ref = {1, 1, 2, 2, 0, 3};
        float[] pred = {1, 2, 2, 2, 0, 0};
        ClassScores s = ClassScores.of(pred, ref, 4, line, 2.0);
        // class 1: |ref| 2, |pred| 1, overlap 1; class 2: 2, 3, 2; class 3: predicted nowhere; class 4: nowhere at all
        assertThat(s.perClass().get(0).dice().value()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.perClass().get(1).dice().value()).isCloseTo(0.8, within(1e-12));
        assertThat(s.perClass().get(2).dice()).isEqualTo(new Score(0, Flag.EMPTY_PREDICTION));
        assertThat(s.perClass().get(2).hd95().value()).isCloseTo(Math.sqrt(38), within(1e-12));
        assertThat(s.perClass().get(3).dice()).isEqualTo(Score.undefined());
        assertThat(s.perClass().get(3).hd95()).isEqualTo(Score.undefined());
        assertThat(s.mean().dice().value()).isCloseTo((2.0 / 3 + 0.8 + 0) / 3, within(1e-12));
        assertThat(s.mean().dice().flag()).isEqualTo(Flag.EMPTY_PREDICTION);
        assertThat(s.mean().refVoxels()).isEqualTo(5);
    }

    @Test
    void noClassAnywhereScoresAsTwoEmptyMasksAndAMissingPredictionAsTheWorst() {
        DistanceGrid g = DistanceGrid.of(4, 3, 2, 1, 1, 2);
        float[] empty = new float[g.size()];
        ClassScores none = ClassScores.of(empty, empty, 3, g, 1.0);
        assertThat(none.perClass()).allSatisfy(c -> assertThat(c.dice().defined()).isFalse());
        assertThat(none.mean().dice()).isEqualTo(new Score(1, Flag.BOTH_EMPTY));
        assertThat(none.mean().nsd()).isEqualTo(new Score(1, Flag.BOTH_EMPTY));
        assertThat(none.mean().hd95()).isEqualTo(new Score(0, Flag.BOTH_EMPTY));

        float[] ref = empty.clone();
        ref[5] = 2;
        ClassScores missing = ClassScores.worst(ref, 3, g, 1.0, Flag.MISSING);
        assertThat(missing.mean().dice()).isEqualTo(new Score(0, Flag.MISSING));
        assertThat(missing.mean().hd95()).isEqualTo(new Score(g.diagonalMm(), Flag.MISSING));
        assertThat(missing.perClass()).hasSize(3).allSatisfy(c -> assertThat(c.nsd()).isEqualTo(new Score(0, Flag.MISSING)));
    }

    @Test
    void labelMapsAgreeWithScipyClassByClassAndOnTheMean() throws Exception {
        Random rnd = new Random(17);
        ScipyOracle oracle = new ScipyOracle(dir);
        List<ClassScores> scores = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            DistanceGrid g = DistanceGrid.of(14 + rnd.nextInt(24), 14 + rnd.nextInt(24), 8 + rnd.nextInt(20),
                    0.5 + 2 * rnd.nextDouble(), 0.5 + 2 * rnd.nextDouble(), 0.5 + 2 * rnd.nextDouble());
            int k = 2 + rnd.nextInt(3);
            byte[] ref = labelMap(g, k, rnd);
            byte[] pred = perturbed(ref, g, k, rnd);
            // Some cases leave the last class out of the prediction, the reference, or both.
            int last = k;
            if (c % 4 == 1) {
                erase(pred, last);
            } else if (c % 4 == 2) {
                erase(ref, last);
            } else if (c % 4 == 3) {
                erase(pred, last);
                erase(ref, last);
            }
            double tolerance = 0.5 + 2.5 * rnd.nextDouble();
            oracle.multiclass(pred, ref, k, g, tolerance);
            scores.add(ClassScores.of(floats(pred), floats(ref), k, g, tolerance));
            classes.add(k);
        }
        JsonNode expected = oracle.run().get("multiclass");
        double worst = 0;
        int undefined = 0;
        for (int c = 0; c < scores.size(); c++) {
            ClassScores s = scores.get(c);
            JsonNode e = expected.get(c);
            for (int k = 0; k < classes.get(c); k++) {
                JsonNode ek = e.get("classes").get(k);
                SegmentationScores sk = s.perClass().get(k);
                if (ek.isNull()) {
                    assertThat(sk.dice().defined()).as("case %d class %d", c, k + 1).isFalse();
                    undefined++;
                    continue;
                }
                worst = Math.max(worst, diff(sk, ek));
            }
            worst = Math.max(worst, diff(s.mean(), e.get("mean")));
        }
        System.out.printf("scipy oracle, %d random label maps (%d classes absent from both): max |diff| per class and mean %.3g%n",
                scores.size(), undefined, worst);
        assertThat(undefined).isPositive();
        assertThat(worst).isLessThanOrEqualTo(1e-6);
    }

    private static double diff(SegmentationScores s, JsonNode e) {
        return Math.max(Math.abs(s.dice().value() - e.get("dice").asDouble()),
                Math.max(Math.abs(s.nsd().value() - e.get("nsd").asDouble()), Math.abs(s.hd95().value() - e.get("hd95").asDouble())));
    }

    /** Classes 1..k painted as random blobs, later ones over earlier ones. */
    private static byte[] labelMap(DistanceGrid g, int k, Random rnd) {
        byte[] m = new byte[g.size()];
        for (int label = 1; label <= k; label++) {
            boolean[] blob = ScipyOracleTest.blobs(g, rnd);
            for (int i = 0; i < m.length; i++) {
                if (blob[i]) {
                    m[i] = (byte) label;
                }
            }
        }
        return m;
    }

    /** A copy with about a tenth of the voxels relabelled at random. */
    private static byte[] perturbed(byte[] ref, DistanceGrid g, int k, Random rnd) {
        byte[] p = ref.clone();
        for (int i = 0; i < p.length; i++) {
            if (rnd.nextDouble() < 0.1) {
                p[i] = (byte) rnd.nextInt(k + 1);
            }
        }
        return p;
    }

    private static void erase(byte[] m, int label) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == label) {
                m[i] = 0;
            }
        }
    }

    private static float[] floats(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i];
        }
        return f;
    }
}
