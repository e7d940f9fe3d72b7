package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.finetune.TinyProject;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-class segmentation task (the phantom's tissue map, as datasets.yaml's {@code anatomy})
 * end to end on a tiny project: finetuned with a K+1-channel head, its test predictions written as
 * label maps on each case's grid, then submitted as a baseline entry and scored again through the
 * teams' door (ONNX Runtime in a child JVM) to the same per-class and mean values.
 */
class AnatomyTaskTest {
    private static final List<String> CLASSES = List.of("csf", "cortex", "white-matter", "deep-grey", "ventricles", "scalp", "skull");
    private static final String DATASETS = """
            datasets:
              - name: tiny-anatomy
                kind: synthetic
                contrasts: [t1]
                generator: {seed: 7, subjects: 6, sessions: 1, size: 32, meningioma-share: 0, infarct-share: 0}
            tasks:
              - name: anatomy
                type: segmentation
                dataset: tiny-anatomy
                inputs: [t1]
                label: tissue.nii.gz
                classes: [csf, cortex, white-matter, deep-grey, ventricles, scalp, skull]
                finetune: 3
                test: 3
                metrics: [dice, nsd, hd95]
            """;

    @TempDir
    Path dir;

    private CliRun brainfm(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--datasets", dir.resolve("datasets.yaml").toString(), "--db", "jdbc:h2:file:" + dir.resolve("records")));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return run;
    }

    private static long number(String text, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void finetunesEveryClassAndScoresItAgainAsAnEntry() throws Exception {
        TinyProject.write(dir);
        Files.writeString(dir.resolve("datasets.yaml"), DATASETS);
        String models = dir.resolve("models").toString();
        CliRun finetune = brainfm("finetune", "--card", dir.resolve("tiny-unet.yaml").toString(), "--task", "anatomy",
                "--epochs", "1", "--iterations", "3", "--batch", "1", "--resamples", "100", "--device", "cpu", "--models", models,
                "--seed", "1");
        assertThat(finetune.out()).contains("Dice white_matter", "HD95 skull (mm)");
        long run = number(finetune.out(), "finetune run (\\d+)");

        // the test predictions: label maps 0..7 on each case's grid
        for (String c : List.of("sub_4", "sub_5", "sub_6")) {
            Volume prediction = NiftiReader.read(dir.resolve("models/run-" + run + "/predictions/" + c + "_ses_1.nii.gz"));
            Volume truth = NiftiReader.read(dir.resolve(".brainfm/data/tiny-anatomy/" + c + "/ses_1/tissue.nii.gz"));
            assertThat(prediction.shape()).containsExactly(truth.shape());
            assertThat(prediction.affine()).isDeepEqualTo(truth.affine());
            for (float v : prediction.data()) {
                assertThat(v).isBetween(0f, 7f);
            }
        }

        brainfm("submit", "--baseline", Long.toString(run), "--store", dir.resolve("store").toString(), "--cards", dir.toString(),
                "--models", models);
        brainfm("score", "--pending", "--resamples", "100", "--cards", dir.toString(), "--models", models);
        try (Records records = Records.open("jdbc:h2:file:" + dir.resolve("records"))) {
            assertThat(records.submissions().all()).singleElement()
                    .satisfies(s -> assertThat(s.status()).as(s.reasons().toString()).isEqualTo(SubmissionStatus.SCORED));
            long scored = records.runs().ofSubmission(records.submissions().all().get(0).id()).get(0).id();
            // the board ranks and shows the mean over classes; per-class values are stored beside it
            assertThat(records.board().forTask("anatomy")).singleElement()
                    .satisfies(r -> assertThat(r.metrics()).containsKeys("dice", "nsd", "hd95", "dice_csf"));
            List<String> keys = new ArrayList<>(List.of("dice", "nsd", "hd95"));
            for (String c : CLASSES) {
                for (String m : List.of("dice", "nsd", "hd95")) {
                    keys.add(m + "_" + c.replace('-', '_'));
                }
            }
            List<AggregateScore> trained = records.results().aggregates(run, "anatomy");
            List<AggregateScore> again = records.results().aggregates(scored, "anatomy");
            assertThat(trained).extracting(AggregateScore::metric).containsExactlyInAnyOrderElementsOf(keys);
            for (AggregateScore a : trained) {
                AggregateScore b = again.stream().filter(x -> x.metric().equals(a.metric())).findFirst().orElseThrow();
                if (a.score() == null) {
                    assertThat(b.score()).as(a.metric()).isNull();
                } else {
                    assertThat(b.score()).as(a.metric()).isCloseTo(a.score(), within(1e-6));
                }
            }
            assertThat(records.results().cases(scored, "anatomy")).extracting(CaseScore::flag).containsOnlyNulls();
        }
    }
}
