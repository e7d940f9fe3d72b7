package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.data.Datasets;
import org.brainfm.finetune.TinyProject;
import org.brainfm.model.arch.UNetPretraining;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.model.store.ModelStore;
import org.brainfm.model.store.Provenance;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.BoardRow;
import org.brainfm.records.CaseScore;
import org.brainfm.records.EpochRow;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.brainfm.records.RunStatus;
import org.brainfm.score.Registry;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code brainfm finetune} and {@code brainfm evaluate} end to end on a tiny project: every task
 * type finetuned for two short epochs, its results recorded, and re-scored from the stored model
 * to the same numbers.
 */
class FinetuneCommandTest {
    @TempDir
    static Path dir;

    private static String url;

    @BeforeAll
    static void project() {
        TinyProject.write(dir);
        url = "jdbc:h2:file:" + dir.resolve("records");
    }

    private static CliRun brainfm(String... args) {
        String[] common = {"--datasets", dir.resolve("datasets.yaml").toString(), "--models", dir.resolve("models").toString(),
            "--db", url, "--device", "cpu"};
        String[] all = new String[args.length + common.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(common, 0, all, args.length, common.length);
        return CliRun.of(all);
    }

    private static long id(String out, String kind) {
        Matcher m = Pattern.compile(kind + " run (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest
    @CsvSource({"meningioma,1,4,dice;nsd;hd95", "infarct,2,6,auroc;accuracy;balanced_accuracy;f1;ap", "brain-age,1,5,mae;pearson_r"})
    void finetunesRecordsAndReScoresToTheSameNumbers(String task, int folds, int tests, String metrics) {
        CliRun finetune = brainfm("finetune", "--card", dir.resolve("tiny-unet.yaml").toString(), "--task", task,
                "--folds", Integer.toString(folds), "--resamples", "200", "--batch", "1",
                "--epochs", "2", "--iterations", "4", "--seed", "1");
        assertThat(finetune.exitCode()).as(finetune.err()).isZero();
        long run = id(finetune.out(), "finetune");
        List<String> keys = List.of(metrics.split(";"));
        for (String k : keys) {
            assertThat(finetune.out()).contains(org.brainfm.metrics.Metric.byKey(k).label());
        }
        List<AggregateScore> trained;
        List<CaseScore> trainedCases;
        try (Records records = Records.open(url)) {
            RunRow info = records.runs().get(run).orElseThrow();
            assertThat(info.status()).isEqualTo(RunStatus.DONE);
            assertThat(info.kind()).isEqualTo(RunKind.FINETUNE);
            assertThat(info.initRunId()).isNull();
            assertThat(info.parameters()).isPositive();
            trained = records.results().aggregates(run, task);
            trainedCases = records.results().cases(run, task);
            assertThat(trained).extracting(AggregateScore::metric).containsExactlyInAnyOrderElementsOf(keys);
            for (AggregateScore a : trained) {
                assertThat(a.n()).isEqualTo(tests);
                if (a.score() != null && a.ciLow() != null) {
                    assertThat(a.ciLow()).isLessThanOrEqualTo(a.score() + 1e-12);
                    assertThat(a.ciHigh()).isGreaterThanOrEqualTo(a.score() - 1e-12);
                }
            }
            assertThat(trainedCases.stream().map(CaseScore::caseId).distinct()).hasSize(tests);
            List<EpochRow> curve = records.runs().epochs(run);
            assertThat(curve).hasSize(2 * folds);
            assertThat(curve).allSatisfy(e -> assertThat(e.validationLoss() == null).isEqualTo(folds == 1));
        }
        for (int f = 1; f <= folds; f++) {
            assertThat(dir.resolve("models/run-" + run + "/fold-" + f + "/" + ModelStore.PARAMETERS)).isRegularFile();
        }

        CliRun evaluate = brainfm("evaluate", "--run", Long.toString(run), "--task", task, "--resamples", "200");
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        long score = id(evaluate.out(), "score");
        try (Records records = Records.open(url)) {
            RunRow info = records.runs().get(score).orElseThrow();
            assertThat(info.kind()).isEqualTo(RunKind.SCORE);
            assertThat(info.initRunId()).isEqualTo(run);
            assertThat(records.results().aggregates(score, task)).isEqualTo(trained);
            assertThat(records.results().cases(score, task)).isEqualTo(trainedCases);
            assertThat(records.board().forTask(task)).anySatisfy(row -> assertThat(row.runId()).isEqualTo(score));
        }
        if (task.equals("brain-age")) {
            // DJL's PyTorch engine on the stored parameters agrees with ONNX Runtime
            CliRun pytorch = brainfm("evaluate", "--run", Long.toString(run), "--task", task, "--engine", "pytorch", "--resamples", "200");
            assertThat(pytorch.exitCode()).as(pytorch.err()).isZero();
            try (Records records = Records.open(url)) {
                List<CaseScore> djl = records.results().cases(id(pytorch.out(), "score"), task);
                assertThat(djl).hasSameSizeAs(trainedCases);
                for (int i = 0; i < djl.size(); i++) {
                    assertThat(djl.get(i).score()).isCloseTo(trainedCases.get(i).score(), within(1e-3));
                }
            }
        }
    }

    @Test
    void withoutSeedEverySeedOfTheTaskIsItsOwnRunAndTheBoardAveragesThem() {
        // meningioma has seeds [1, 2] in the tiny project
        CliRun finetune = brainfm("finetune", "--card", dir.resolve("tiny-unet.yaml").toString(), "--task", "meningioma",
                "--resamples", "20", "--batch", "1", "--epochs", "1", "--iterations", "2");
        assertThat(finetune.exitCode()).as(finetune.err()).isZero();
        Matcher m = Pattern.compile("finetune run (\\d+): .* seed (\\d+),").matcher(finetune.out());
        List<long[]> runs = new java.util.ArrayList<>();
        while (m.find()) {
            runs.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        assertThat(runs).extracting(r -> r[1]).containsExactly(1L, 2L);
        assertThat(finetune.out()).contains("PER SEED").contains("seed 1").contains("seed 2").contains("MEAN").contains("SD");
        List<Double> dice = new java.util.ArrayList<>();
        try (Records records = Records.open(url)) {
            for (long[] r : runs) {
                RunRow info = records.runs().get(r[0]).orElseThrow();
                assertThat(info.kind()).isEqualTo(RunKind.FINETUNE);
                assertThat(info.status()).isEqualTo(RunStatus.DONE);
                assertThat(info.seed()).isEqualTo(r[1]);
                dice.add(records.results().aggregates(r[0], "meningioma").stream()
                        .filter(a -> a.metric().equals("dice")).findFirst().orElseThrow().score());
            }
        }
        // Both seeds scored into the baseline entry: the board shows their mean over n = 2 seeds.
        for (long[] r : runs) {
            CliRun evaluate = brainfm("evaluate", "--run", Long.toString(r[0]), "--task", "meningioma", "--resamples", "20");
            assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        }
        try (Records records = Records.open(url)) {
            BoardRow row = records.board().forTask("meningioma").stream()
                    .filter(b -> b.seedRuns().size() == 2).findFirst().orElseThrow();
            assertThat(row.seedRuns()).extracting(BoardRow.SeedRun::seed).containsExactly(1L, 2L);
            AggregateScore mean = row.metrics().get("dice");
            assertThat(mean.seeds()).isEqualTo(2);
            assertThat(mean.score()).isCloseTo((dice.get(0) + dice.get(1)) / 2, within(1e-12));
            assertThat(mean.sd()).isCloseTo(Math.abs(dice.get(0) - dice.get(1)) / Math.sqrt(2), within(1e-12));
        }
        assertOneLineError(brainfm("finetune", "--card", dir.resolve("tiny-unet.yaml").toString(), "--task", "meningioma",
                "--seed", "1,1"), "--seed");
    }

    @Test
    void startsFromAPretrainingRunsEncoder() throws Exception {
        Path cardFile = dir.resolve("tiny-unet.yaml");
        ModelCard card = ModelCards.read(cardFile);
        long pretrain;
        try (Records records = Records.open(url)) {
            Datasets datasets = Datasets.load(dir.resolve("datasets.yaml"));
            Registry.register(records, datasets, datasets.task("meningioma"), card);
            // saved as brainfm pretrain saves: the output folder in the run's config, the encoder in its sub-folder
            Path out = dir.resolve("pretrained-tiny");
            try (ActiveRun run = records.runs().start(NewRun.pretrain(card.name(), card.pretraining().objective())
                    .withConfig(new ObjectMapper().createObjectNode().put("out", out.toString())), org.brainfm.compute.Hardware.cpu())) {
                UNetPretraining model = Models.pretraining(card, "mini");
                try (NDManager manager = Devices.manager(Device.cpu())) {
                    model.initialize(manager, DataType.FLOAT32, Models.inputShape(card, "mini", 1));
                    ModelStore.save(model.encoder(), new Provenance(card.name(), "mini", "encoder", 0, 1, "test", 1, "tiny-age", 1,
                            Long.toString(run.id()), ModelStore.countParameters(model.encoder()), "2026-01-01T00:00:00Z"),
                            out.resolve("encoder"));
                }
                run.finish(null);
                pretrain = run.id();
            }
        }
        CliRun finetune = brainfm("finetune", "--card", cardFile.toString(), "--task", "meningioma", "--init",
                Long.toString(pretrain), "--epochs", "1", "--iterations", "4", "--seed", "2", "--resamples", "50", "--batch", "1");
        assertThat(finetune.exitCode()).as(finetune.err()).isZero();
        assertThat(finetune.out()).contains("from run " + pretrain).contains("seed 2");
        try (Records records = Records.open(url)) {
            RunRow info = records.runs().get(id(finetune.out(), "finetune")).orElseThrow();
            assertThat(info.initRunId()).isEqualTo(pretrain);
            assertThat(info.seed()).isEqualTo(2L);
        }
        // a finetuning run is no pretraining run to start from
        CliRun wrong = brainfm("finetune", "--card", cardFile.toString(), "--task", "meningioma", "--init",
                Long.toString(id(finetune.out(), "finetune")));
        assertOneLineError(wrong, "is a finetune run, not a pretrain run");
    }

    /**
     * A score is tied to its data and compute is named for what it is (issue 14): the finetuning
     * run records the hash of its data, its training steps' synchronised time and the time it spent
     * scoring its own test cases; evaluating it on another task, or after its task's definition
     * changed, is refused; the board's compute counts that test inference once.
     */
    @Test
    void aScoreIsTiedToItsDataAndTestInferenceIsCountedOnce(@TempDir Path own) throws Exception {
        TinyProject.write(own);
        String db = "jdbc:h2:file:" + own.resolve("records");
        List<String> common = List.of("--datasets", own.resolve("datasets.yaml").toString(), "--models", own.resolve("models").toString(),
                "--db", db);
        java.util.function.Function<List<String>, CliRun> run = args -> {
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(common);
            return CliRun.of(all.toArray(String[]::new));
        };
        CliRun finetune = run.apply(List.of("finetune", "--card", own.resolve("tiny-unet.yaml").toString(), "--task", "meningioma",
                "--folds", "1", "--epochs", "1", "--iterations", "3", "--batch", "1", "--resamples", "50", "--device", "cpu", "--seed", "1"));
        assertThat(finetune.exitCode()).as(finetune.err()).isZero();
        long finetuned = id(finetune.out(), "finetune");
        try (Records records = Records.open(db)) {
            RunRow r = records.runs().get(finetuned).orElseThrow();
            assertThat(r.busySeconds()).isPositive().isLessThan(r.wallSeconds());
            assertThat(r.testSeconds()).isPositive().isLessThan(r.deviceSeconds());
            assertThat(r.config()).contains("\"data_sha256\"");
        }

        // another task, or the same one changed since, is not what the run was made for
        assertOneLineError(run.apply(List.of("evaluate", "--run", Long.toString(finetuned), "--task", "infarct")),
                "run " + finetuned + " was finetuned for task meningioma, not infarct");
        Path yaml = own.resolve("datasets.yaml");
        String original = Files.readString(yaml);
        Files.writeString(yaml, original.replace("metrics: [dice, nsd, hd95]", "metrics: [dice, nsd]"));
        assertOneLineError(run.apply(List.of("evaluate", "--run", Long.toString(finetuned), "--task", "meningioma")),
                "its definition or test data changed since run " + finetuned + " was finetuned");
        assertOneLineError(run.apply(List.of("submit", "--baseline", Long.toString(finetuned), "--store", own.resolve("store").toString(),
                "--cards", own.toString())), "its definition or test data changed since run " + finetuned);
        // the description is not data
        Files.writeString(yaml, original.replaceFirst("(?m)^(\\s+)type: segmentation$", "$1type: segmentation\n$1description: reworded"));
        CliRun evaluate = run.apply(List.of("evaluate", "--run", Long.toString(finetuned), "--task", "meningioma", "--resamples", "50"));
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        long scored = id(evaluate.out(), "score");

        try (Records records = Records.open(db)) {
            RunRow f = records.runs().get(finetuned).orElseThrow();
            RunRow s = records.runs().get(scored).orElseThrow();
            assertThat(s.testSeconds()).isZero();
            assertThat(s.busySeconds()).as("a score run trains nothing").isNull();
            var row = records.board().forTask("meningioma").stream().filter(b -> b.runId() == scored).findFirst().orElseThrow();
            assertThat(row.deviceHours() * 3600).isCloseTo(s.deviceSeconds() + f.deviceSeconds() - f.testSeconds(),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void mistakesAreOneLineErrors() throws Exception {
        String card = dir.resolve("tiny-unet.yaml").toString();
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "nope"), "no task named \"nope\"");
        assertOneLineError(brainfm("finetune", "--card", "no-such-card", "--task", "infarct", "--cards", dir.toString()),
                "no model card");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, TinyProject.CARD.replace("widths: [4, 8, 16]\n    latent: 8\n  mini", "widths: [4, -8, 16]\n    latent: 8\n  mini"));
        assertOneLineError(brainfm("finetune", "--card", bad.toString(), "--task", "infarct"), "bad.yaml");
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "infarct", "--init", "last"), "must be a run id");
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "infarct", "--init", "9999"), "no such run");
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "infarct", "--folds", "9"), "--folds");
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "infarct", "--overlap", "1"), "--overlap");
        // the tiny card's U-Net halves twice: a patch must be a multiple of 4 and leave 2 voxels at the bottom
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "infarct", "--patch", "18"), "--patch: 18 is not divisible by");
        assertOneLineError(brainfm("finetune", "--card", card, "--task", "infarct", "--patch", "4"), "bottleneck under 2 voxels");
        assertOneLineError(brainfm("evaluate", "--run", "9999", "--task", "infarct"), "no such run");
        assertOneLineError(brainfm("evaluate", "--run", "1", "--task", "infarct", "--engine", "tpu"), "--engine");
    }

    private static void assertOneLineError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Main.ERROR_EXIT);
        assertThat(run.err()).startsWith("brainfm: ").contains(message);
        assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    }

    @Test
    void helpHasAnExample() {
        for (String command : List.of("finetune", "evaluate")) {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Example:").contains("brainfm " + command);
        }
    }
}
