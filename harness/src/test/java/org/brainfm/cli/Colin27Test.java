package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.brainfm.DebianPython;
import org.brainfm.data.Case;
import org.brainfm.finetune.FinetunedModel;
import org.brainfm.metrics.Masks;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.plan.Prepared;
import org.brainfm.plan.Preprocessing;
import org.brainfm.predict.CasePredictor;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Records;
import org.brainfm.volume.Interpolation;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real data end to end: scripts/make-colin27-dataset.py makes an nnU-Net raw dataset of the
 * Colin27 T1 (1 mm and 0.5 mm, four grids: RAS, flipped LAS, permuted ASR, a 0.5 mm block) with
 * atlas labels; the mini compact U-Net is finetuned on two cases for a few steps and scored on the
 * other two through {@code brainfm finetune}. nibabel then reads each written prediction: it has its
 * image's shape and affine, holds labels 0..3, and its per-class Dice against the atlas labels is
 * what the records hold. It proves the path, not a score.
 */
class Colin27Test {
    private static final Path SCRIPT = Path.of("..", "scripts", "make-colin27-dataset.py");
    private static final String CARD = "../baselines/compact-unet.yaml";
    private static final List<String> CLASSES = List.of("cerebrum", "cerebellum", "white-matter");

    /** Per prediction: shape and affine of image and prediction, the labels it holds, per-class Dice. */
    private static final String CHECK = """
            import json, sys
            import nibabel as nib, numpy as np
            data, predictions, out = sys.argv[1], sys.argv[2], {}
            for case in sys.argv[3:]:
                image = nib.load(f"{data}/imagesTr/{case}_0000.nii.gz")
                label = np.asarray(nib.load(f"{data}/labelsTr/{case}.nii.gz").dataobj)
                pred = nib.load(f"{predictions}/{case}_ses_1.nii.gz")
                p = np.asarray(pred.dataobj)
                dice = {}
                for k in (1, 2, 3):
                    a, b = p == k, label == k
                    dice[k] = 2.0 * np.count_nonzero(a & b) / max(1, np.count_nonzero(a) + np.count_nonzero(b))
                out[case] = {"image_shape": list(image.shape), "pred_shape": list(pred.shape),
                             "affine_diff": float(np.abs(image.affine - pred.affine).max()),
                             "zooms": [float(z) for z in image.header.get_zooms()],
                             "axes": "".join(nib.aff2axcodes(image.affine)),
                             "labels": sorted(int(v) for v in np.unique(p)), "dice": dice}
            print(json.dumps(out))
            """;

    @TempDir
    Path dir;

    private static Volume oneHot(Volume label, int classes) {
        int n = label.data().length;
        float[] d = new float[classes * n];
        for (int i = 0; i < n; i++) {
            d[(int) label.data()[i] * n + i] = 1;
        }
        return new Volume(new int[] {label.nx(), label.ny(), label.nz(), classes}, d, label.affine());
    }

    @Test
    void finetunesAndScoresTheRealBrainAndWritesEachPredictionOnItsImagesGrid() throws Exception {
        Path data = dir.resolve("colin27");
        System.out.print(DebianPython.run(dir, 300, List.of(SCRIPT.toAbsolutePath().toString(), data.toString())));
        Files.writeString(dir.resolve("datasets.yaml"), """
                datasets:
                  - name: colin27
                    kind: nnunet
                    path: colin27
                    contrasts: [t1]
                tasks:
                  - name: colin27-anatomy
                    type: segmentation
                    dataset: colin27
                    inputs: [t1]
                    label: seg.nii.gz
                    classes: [cerebrum, cerebellum, white-matter]
                    finetune: 2
                    test: 2
                    metrics: [dice, nsd, hd95]
                    public-cases: true
                """);
        String url = "jdbc:h2:file:" + dir.resolve("records");
        // 4 mm voxels: every case fits one 64^3 window of the mini U-Net; prediction goes back to 1 and 0.5 mm
        CliRun finetune = CliRun.of("finetune", "--card", CARD, "--task", "colin27-anatomy", "--preset", "mini",
                "--epochs", "1", "--iterations", "6", "--batch", "1", "--spacing", "4,4,4", "--resamples", "100", "--seed", "1",
                "--datasets", dir.resolve("datasets.yaml").toString(), "--models", dir.resolve("models").toString(),
                "--db", url, "--device", "cpu");
        assertThat(finetune.exitCode()).as(finetune.err()).isZero();
        System.out.print(finetune.out());
        Matcher m = Pattern.compile("finetune run (\\d+)").matcher(finetune.out());
        assertThat(m.find()).isTrue();
        long run = Long.parseLong(m.group(1));

        List<String> test = List.of("colin_3", "colin_4");
        Path predictions = dir.resolve("models/run-" + run + "/predictions");
        Path check = dir.resolve("check.py");
        Files.writeString(check, CHECK);
        JsonNode read = new ObjectMapper().readTree(DebianPython.run(dir, 300,
                List.of(check.toString(), data.toString(), predictions.toString(), test.get(0), test.get(1))));
        Map<String, Double> stored;
        try (Records records = Records.open(url)) {
            stored = records.results().cases(run, "colin27-anatomy").stream()
                    .filter(c -> c.score() != null)
                    .collect(Collectors.toMap(c -> c.caseId() + " " + c.metric(), CaseScore::score));
        }
        System.out.println("Colin27 predictions read back by nibabel:");
        for (String c : test) {
            JsonNode r = read.get(c);
            assertThat(r.get("pred_shape")).as(c).isEqualTo(r.get("image_shape"));
            assertThat(r.get("affine_diff").asDouble()).as(c).isLessThan(1e-4);
            assertThat(r.get("labels")).allSatisfy(v -> assertThat(v.asInt()).isBetween(0, 3));
            StringBuilder line = new StringBuilder(String.format("  %s: %s voxels of %s mm, %s; Dice", c, r.get("image_shape"),
                    r.get("zooms"), r.get("axes").asText()));
            for (int k = 1; k <= 3; k++) {
                double dice = r.get("dice").get(Integer.toString(k)).asDouble();
                String key = c + "/ses_1 dice_" + CLASSES.get(k - 1).replace('-', '_');
                if (stored.containsKey(key)) {
                    assertThat(dice).as(key).isCloseTo(stored.get(key), within(1e-9));
                } else {
                    assertThat(dice).as(key + " (absent from prediction and reference)").isZero();
                }
                line.append(String.format(" %s %.4f", CLASSES.get(k - 1), dice));
            }
            System.out.println(line);
        }
        // The way back alone, without the model: each case's atlas labels prepared as the run prepared its
        // images (RAS, cropped, 4 mm) and put back like a prediction land on the labels they came from.
        Preprocessing preprocessing = FinetunedModel.read(dir.resolve("models/run-" + run)).preprocessing();
        for (String c : test) {
            Path label = data.resolve("labelsTr/" + c + ".nii.gz");
            Prepared p = preprocessing.load(new Case(c, "ses_1", Map.of("t1", data.resolve("imagesTr/" + c + "_0000.nii.gz")), label,
                    Double.NaN), true);
            Volume back = CasePredictor.argmax(p.restore(oneHot(p.label(), CLASSES.size() + 1), Interpolation.LINEAR, 0f));
            Volume truth = NiftiReader.read(label);
            assertThat(back.shape()).containsExactly(truth.shape());
            StringBuilder line = new StringBuilder(String.format("  %s: atlas labels through %s mm and back, Dice", c,
                    Arrays.toString(p.image().spacing())));
            for (int k = 1; k <= CLASSES.size(); k++) {
                double dice = SegmentationMetrics.dice(Masks.label(back.data(), k), Masks.label(truth.data(), k));
                line.append(String.format(" %s %.4f", CLASSES.get(k - 1), dice));
                assertThat(dice).as(c + " " + CLASSES.get(k - 1)).isGreaterThan(0.5);
            }
            System.out.println(line);
        }
        assertThat(read.get("colin_3").get("axes").asText()).isEqualTo("ASR");
        assertThat(read.get("colin_4").get("zooms").get(0).asDouble()).isEqualTo(0.5);
    }
}
