package org.brainfm.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.brainfm.BrainfmException;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerTest {
    private final Scorer evaluation = new Scorer(500, 7);

    /** A 10^3 mask at 2 mm with a cube of side {@code side} at {@code at}. */
    static Volume cube(int at, int side) {
        float[] d = new float[1000];
        for (int z = at; z < at + side; z++) {
            for (int y = at; y < at + side; y++) {
                for (int x = at; x < at + side; x++) {
                    d[x + 10 * (y + 10 * z)] = 1;
                }
            }
        }
        return Volume.of(10, 10, 10, new double[] {2, 2, 2}, d);
    }

    @Test
    void segmentationScoresEachCaseOnItsReferenceGridAndFlagsMissingOnes(@TempDir Path dir) {
        Path ref1 = dir.resolve("ref1.nii.gz");
        Path ref2 = dir.resolve("ref2.nii.gz");
        NiftiWriter.write(cube(2, 4), ref1, NiftiDatatype.UINT8);
        NiftiWriter.write(cube(3, 4), ref2, NiftiDatatype.UINT8);
        // case 1: perfect; case 2: no prediction
        ResultSet r = evaluation.segmentation(List.of("a", "b"), Arrays.asList(cube(2, 4), null), List.of(ref1, ref2),
                List.of(Metric.DICE, Metric.HD95), 2.0);
        assertThat(r.cases()).containsExactly(
                CaseScore.of("a", "dice", 1.0), CaseScore.of("a", "hd95", 0.0),
                new CaseScore("b", "dice", 0.0, CaseFlag.MISSING),
                new CaseScore("b", "hd95", Math.sqrt(3 * 20.0 * 20.0), CaseFlag.MISSING));
        AggregateScore dice = r.aggregate("dice");
        assertThat(dice.score()).isEqualTo(0.5);
        assertThat(dice.n()).isEqualTo(2);
        assertThat(dice.ciLow()).isEqualTo(0.0);
        assertThat(dice.ciHigh()).isEqualTo(1.0);

        Volume shifted = new Volume(new int[] {10, 10, 10}, cube(2, 4).data(), new double[][] {{2, 0, 0, 1}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}});
        assertThatThrownBy(() -> evaluation.segmentation(List.of("a"), List.of(shifted), List.of(ref1), List.of(Metric.DICE), 2.0))
                .isInstanceOf(BrainfmException.class).hasMessageContaining("prediction of a");
    }

    @Test
    void aMultiClassTaskStoresEachClassAndTheMeanOverClasses(@TempDir Path dir) {
        // class 1: a 4^3 cube; class 2: a 2^3 cube beside it; class 3: nowhere in case a, a voxel in case b
        Volume ref = cube(2, 4);
        float[] d = ref.data().clone();
        for (int z = 6; z < 8; z++) {
            for (int y = 6; y < 8; y++) {
                for (int x = 6; x < 8; x++) {
                    d[x + 10 * (y + 10 * z)] = 2;
                }
            }
        }
        Path refA = dir.resolve("a.nii.gz");
        Path refB = dir.resolve("b.nii.gz");
        NiftiWriter.write(ref.withData(d), refA, NiftiDatatype.UINT8);
        float[] withThree = d.clone();
        withThree[0] = 3;
        NiftiWriter.write(ref.withData(withThree), refB, NiftiDatatype.UINT8);
        float[] pred = d.clone();
        pred[6 + 10 * (6 + 10 * 6)] = 1; // one class-2 voxel called class 1
        List<String> classes = List.of("grey", "white-matter", "lesion");
        List<Volume> predictions = List.of(ref.withData(pred), ref.withData(pred));
        ResultSet r = evaluation.segmentation(List.of("a", "b"), predictions::get, List.of(refA, refB), classes, List.of(Metric.DICE), 2.0);
        double grey = 2.0 * 64 / (64 + 65);
        double white = 2.0 * 7 / (7 + 8);
        // case a: lesion absent from both, left out of the mean; case b: lesion missed, Dice 0, counted
        assertThat(r.cases()).containsExactly(
                CaseScore.of("a", "dice", (grey + white) / 2), CaseScore.of("a", "dice_grey", grey),
                CaseScore.of("a", "dice_white_matter", white), new CaseScore("a", "dice_lesion", null, null),
                CaseScore.of("b", "dice", (grey + white) / 3), CaseScore.of("b", "dice_grey", grey),
                CaseScore.of("b", "dice_white_matter", white), CaseScore.of("b", "dice_lesion", 0.0));
        assertThat(r.aggregates()).extracting(AggregateScore::metric)
                .containsExactly("dice", "dice_grey", "dice_white_matter", "dice_lesion");
        assertThat(r.aggregate("dice").score()).isCloseTo(((grey + white) / 2 + (grey + white) / 3) / 2, within(1e-12));
        assertThat(r.aggregate("dice_lesion").score()).isEqualTo(0.0);
        assertThat(r.aggregate("dice_lesion").n()).isEqualTo(2);
        assertThat(Metric.labelOf("dice_white_matter")).isEqualTo("Dice white_matter");
        assertThat(Metric.ofStored("hd95_lesion")).isEqualTo(Metric.HD95);

        // a prediction with a value that is no class is invalid, a reference with one an error naming its file
        float[] four = pred.clone();
        four[5] = 4;
        ResultSet invalid = evaluation.segmentation(List.of("a"), i -> ref.withData(four), List.of(refA), classes, List.of(Metric.DICE), 2.0);
        assertThat(invalid.cases().get(0)).isEqualTo(new CaseScore("a", "dice", 0.0, CaseFlag.INVALID,
                "the prediction holds 4.0 at voxel (5, 0, 0)"));
        assertThatThrownBy(() -> evaluation.segmentation(List.of("b"), i -> ref.withData(pred), List.of(refB), classes.subList(0, 2),
                List.of(Metric.DICE), 2.0))
                .isInstanceOf(BrainfmException.class).hasMessageContaining(refB.toString())
                .hasMessageContaining("holds 3.0 at voxel (0, 0, 0); the task's 2 classes (grey, white-matter) are labels 1 to 2");
    }

    @Test
    void classificationStoresProbabilitiesAndScoresTheSet() {
        double[] p = {0.9, 0.8, 0.3, 0.6, Double.NaN};
        double[] labels = {1, 1, 0, 0, 1};
        ResultSet r = evaluation.classification(List.of("a", "b", "c", "d", "e"), p, labels, List.of(Metric.AUROC, Metric.ACCURACY));
        assertThat(r.cases()).hasSize(5);
        // each probability's row carries its case's label: paired tests between entries recompute AUROC from them
        assertThat(r.cases().get(4)).isEqualTo(new CaseScore("e", CaseScore.PROBABILITY, null, CaseFlag.INVALID, null, 1.0));
        assertThat(r.cases()).extracting(CaseScore::truth).containsExactly(1.0, 1.0, 0.0, 0.0, 1.0);
        // the NaN positive ranks below every negative: pairs ordered right 4 of 6
        assertThat(r.aggregate("auroc").score()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(r.aggregate("accuracy").score()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(r.aggregate("auroc").ciLow()).isLessThanOrEqualTo(4.0 / 6);
    }

    @Test
    void regressionStoresPredictionsAndErrors() {
        double[] truth = {30, 50, 70};
        ResultSet r = evaluation.regression(List.of("a", "b", "c"), new double[] {32, 45, 70}, truth, List.of(Metric.MAE, Metric.PEARSON_R));
        assertThat(r.cases()).contains(CaseScore.of("b", CaseScore.PREDICTION, 45).withTruth(50),
                CaseScore.of("b", Scorer.ABSOLUTE_ERROR, 5));
        assertThat(r.aggregate("mae").score()).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(r.aggregate("mae").n()).isEqualTo(3);
    }
}
