package org.brainfm.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.brainfm.DebianPython;
import org.brainfm.cli.CliRun;
import org.brainfm.data.Case;
import org.brainfm.data.Datasets;
import org.brainfm.finetune.TinyProject;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.BoardRow;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.score.Registry;
import org.brainfm.submission.EntryCorpus.Broken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The submission path proven on the entry corpus ({@link EntryCorpus}, submissions/corpus.md):
 * every broken entry is recorded invalid with the reason it must give; the good entries of every
 * kind (our exported U-Net, a model built without our exporter, predictions in FOMO25's files
 * and in CSV, an encoder) are scored onto the boards side by side; a model that never ends a
 * case times out case by case; and nothing one entry does stops the others.
 */
class EntryCorpusTest {
    /** The tiny project, its synthetic data (made on first use) and the broken entries, shared by every test. */
    @TempDir
    static Path project;

    private static EntryCorpus broken;
    private static Records brokenRecords;
    private static Intake brokenIntake;
    /** What each broken entry was refused with, printed at the end for submissions/corpus.md. */
    private static final Map<String, List<String>> OBSERVED = new LinkedHashMap<>();

    /** Per test: the records (an H2 file), the submission store, the models and a corpus of good entries. */
    @TempDir
    Path tmp;

    @BeforeAll
    static void project() {
        TinyProject.write(project);
        broken = new EntryCorpus(project, project.resolve("corpus"));
        brokenRecords = Records.open("jdbc:h2:file:" + project.resolve("broken-db"));
        brokenIntake = new Intake(brokenRecords, project.resolve("broken-store"), Datasets.load(project.resolve("datasets.yaml")),
                project, ArchiveLimits.defaults());
    }

    @AfterAll
    static void printTheObservedReasons() {
        brokenRecords.close();
        StringBuilder table = new StringBuilder("| entry | what is wrong | the reason recorded |\n|---|---|---|\n");
        for (Broken b : EntryCorpus.BROKEN) {
            List<String> reasons = OBSERVED.getOrDefault(b.name(), List.of("(not run)"));
            table.append("| `").append(b.name()).append("` | ").append(b.wrong()).append(" | ")
                    .append(String.join("<br>", reasons.stream().map(r -> "`" + r.replace("|", "\\|").replace("\n", "⏎") + "`").toList()))
                    .append(" |\n");
        }
        System.out.println("entry corpus, broken entries as refused:\n" + table);
    }

    static Stream<String> brokenEntries() {
        return EntryCorpus.BROKEN.stream().map(Broken::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenEntries")
    void aBrokenEntryIsRecordedInvalidWithItsReason(String name) throws IOException {
        Broken b = EntryCorpus.broken(name);
        Intake.Outcome outcome = brokenIntake.submit(broken.write(name), null);
        OBSERVED.put(name, outcome.reasons());

        assertThat(outcome.status()).as("%s: %s", name, outcome.reasons()).isEqualTo(SubmissionStatus.INVALID);
        assertThat(outcome.reasons()).as(name).anySatisfy(r -> assertThat(r).contains(broken.reason(b)));
        SubmissionRow row = brokenRecords.submissions().get(outcome.submissionId()).orElseThrow();
        assertThat(row.status()).isEqualTo(SubmissionStatus.INVALID);
        assertThat(row.reasons()).isEqualTo(outcome.reasons());
    }

    @Test
    void aReasonNamesAPredictionFileByItsPathInTheEntry() throws IOException {
        // The README and the template write "predictions: meningioma/", with a slash; a reason must still
        // name the file as it lies in the entry, meningioma/sub_7_ses_1.nii.gz.
        Intake.Outcome outcome = brokenIntake.submit(broken.write("mask-nan"), null);
        String file = EntryCorpus.stem(broken.test("meningioma").get(0)) + ".nii.gz";
        // not "meningioma//sub_7_ses_1.nii.gz", as joining the manifest's folder and the file gave once
        assertThat(outcome.reasons()).as("no doubled slash in the path a reason names")
                .anySatisfy(r -> assertThat(r).startsWith("meningioma/" + file + ": holds NaN"));
    }

    @Test
    void aReasonIsOneLine() throws IOException {
        // The YAML parser's message spans seven lines ("in 'reader', line 1, column 7:", the line again, a
        // caret); `brainfm submissions` (one "- reason" a line) and the entry page need one.
        Intake.Outcome outcome = brokenIntake.submit(broken.write("manifest-not-yaml"), null);
        assertThat(outcome.reasons()).as("a one-line reason").allSatisfy(r -> assertThat(r).doesNotContain("\n"));
    }

    @Test
    void goodEntriesOfEveryKindScoreSideBySideOnTheBoards() throws IOException {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        CliRun finetune = brainfm("finetune", "--card", project.resolve("tiny-unet.yaml").toString(), "--task", "meningioma",
                "--folds", "1", "--epochs", "1", "--iterations", "2", "--batch", "1", "--resamples", "100", "--device", "cpu",
                "--models", tmp.resolve("models").toString(), "--seed", "2");
        assertThat(finetune.exitCode()).as(finetune.err()).isZero();
        long run = number(finetune.out(), "finetune run (\\d+)");

        // our exported mini U-Net, through the door every team uses
        CliRun baseline = submit("--baseline", Long.toString(run));
        assertThat(baseline.out()).as(baseline.err()).matches("(?s)submission \\d+: valid\n");
        for (String name : EntryCorpus.GOOD) {
            CliRun submitted = submit(corpus.write(name).toString());
            assertThat(submitted.out()).as(name + ": " + submitted.err()).matches("(?s)submission \\d+: valid\n");
        }

        CliRun score = brainfm("score", "--pending", "--resamples", "100", "--cards", project.toString(),
                "--models", tmp.resolve("models").toString());
        assertThat(score.exitCode()).as(score.out() + score.err()).isZero();

        try (Records records = Records.open(url())) {
            assertThat(records.submissions().all()).hasSize(1 + EntryCorpus.GOOD.size())
                    .allSatisfy(s -> assertThat(s.status()).as(s.entryName() + " " + s.reasons()).isEqualTo(SubmissionStatus.SCORED));

            Map<String, BoardRow> meningioma = board(records, "meningioma");
            assertThat(meningioma).containsOnlyKeys("tiny-unet mini scratch", "good-onnx-model", "good-predictions-files");
            assertThat(meningioma.get("tiny-unet mini scratch").baseline()).isTrue();
            assertThat(meningioma.get("tiny-unet mini scratch").team()).isEqualTo(Registry.BASELINE_TEAM);
            // a baseline's scoring run carries its finetuning run's seed; a team's entry records none
            assertThat(meningioma.get("tiny-unet mini scratch").seedRuns()).extracting(BoardRow.SeedRun::seed).containsExactly(2L);
            assertThat(meningioma.get("good-onnx-model").seedRuns()).extracting(BoardRow.SeedRun::seed).containsOnlyNulls();
            assertThat(meningioma.get("good-onnx-model").team()).isEqualTo(EntryCorpus.TEAM);
            assertThat(board(records, "infarct")).containsOnlyKeys("good-predictions-files");
            assertThat(board(records, "brain-age")).containsOnlyKeys("good-predictions-csv");

            // every entry has a result per test case and metric; good predictions are never flagged
            for (String task : List.of("meningioma", "infarct", "brain-age")) {
                List<String> ids = corpus.test(task).stream().map(TaskPlan::caseId).sorted().toList();
                for (BoardRow row : board(records, task).values()) {
                    List<CaseScore> cases = records.results().cases(row.runId(), task);
                    assertThat(cases.stream().map(CaseScore::caseId).distinct().sorted().toList()).as(row.entry()).isEqualTo(ids);
                    assertThat(cases).as(row.entry()).allSatisfy(c -> assertThat(c.flag()).isNull());
                    assertThat(row.metrics().values()).allSatisfy(a -> assertThat(a.n()).isEqualTo(ids.size()));
                }
            }

            // figures checked independently: the masks' Dice by nibabel, the CSV's error by construction
            BoardRow files = meningioma.get("good-predictions-files");
            Map<String, Double> dice = new LinkedHashMap<>();
            records.results().cases(files.runId(), "meningioma").stream().filter(c -> c.metric().equals("dice"))
                    .forEach(c -> dice.put(c.caseId(), c.score()));
            Map<String, Double> oracle = nibabelDice(tmp.resolve("corpus/good-predictions-files/meningioma"), corpus.test("meningioma"));
            assertThat(dice.keySet()).isEqualTo(oracle.keySet());
            oracle.forEach((id, d) -> assertThat(dice.get(id)).as(id).isCloseTo(d, within(1e-9)));
            assertThat(oracle.values()).allSatisfy(d -> assertThat(d).isBetween(0.05, 0.95));   // a near miss, not a copy
            assertThat(files.metrics().get("dice").score())
                    .isCloseTo(oracle.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-9));
            assertThat(board(records, "infarct").get("good-predictions-files").metrics().get("auroc").score()).isEqualTo(1.0);
            assertThat(board(records, "infarct").get("good-predictions-files").metrics().get("accuracy").score()).isEqualTo(1.0);
            // every age is 2 years too high, to the 4 decimals written
            assertThat(board(records, "brain-age").get("good-predictions-csv").metrics().get("mae").score()).isCloseTo(2.0, within(1e-3));

            // the model we did not make: its hand-set threshold on FLAIR finds the meningiomas
            assertThat(meningioma.get("good-onnx-model").metrics().get("dice").score()).isGreaterThan(0.2);
            System.out.println("entry corpus, good entries on the boards:\n" + boards(records));
        }
    }

    @Test
    void anEncoderEntryIsFinetunedThenScoredBesideTheOthers() throws IOException {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        long encoder = number(submit(corpus.write(EntryCorpus.ENCODER).toString()).out(), "submission (\\d+): valid");
        submit(corpus.write("good-predictions-files").toString());

        CliRun score = brainfm("score", "--pending", "--resamples", "100", "--cards", project.toString(),
                "--models", tmp.resolve("models").toString());
        try (Records records = Records.open(url())) {
            // Finetuned in a scoring worker's thread, where libtorch's grad mode is on (it is per thread; DJL
            // turns it off only where the engine was loaded, here by the submit's check): the optimiser's
            // in-place updates were once refused there ("a leaf Variable that requires grad is being used
            // in an in-place operation").
            SubmissionRow row = records.submissions().get(encoder).orElseThrow();
            assertThat(row.status()).as("an encoder entry finetunes and scores: " + row.reasons() + "\n" + score.err())
                    .isEqualTo(SubmissionStatus.SCORED);
            assertThat(score.exitCode()).isZero();
            Map<String, BoardRow> infarct = board(records, "infarct");
            assertThat(infarct).containsOnlyKeys(EntryCorpus.ENCODER, "good-predictions-files");
            // finetuned first (a finetuning run, the scoring run's init), then scored case by case like a model
            long finetuned = records.runs().get(infarct.get(EntryCorpus.ENCODER).runId()).orElseThrow().initRunId();
            assertThat(records.runs().get(finetuned).orElseThrow().kind()).isEqualTo(RunKind.FINETUNE);
            List<CaseScore> cases = records.results().cases(infarct.get(EntryCorpus.ENCODER).runId(), "infarct");
            assertThat(cases.stream().map(CaseScore::caseId).distinct()).hasSize(6);
            assertThat(cases).allSatisfy(c -> assertThat(c.flag()).isNull());
            System.out.println("entry corpus, the encoder entry on the board:\n" + boards(records));
        }
    }

    @Test
    void aModelThatNeverEndsACaseTimesOutCaseByCaseAndNothingElseSuffers() throws IOException {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        long slow = number(submit(corpus.write(EntryCorpus.SLOW).toString()).out(), "submission (\\d+): valid");
        long other = number(submit(corpus.write("good-predictions-csv").toString()).out(), "submission (\\d+): valid");

        // The entry limit only bounds this test's time; each case must end at its own 2 s.
        CliRun score = brainfm("score", "--pending", "--case-seconds", "2", "--entry-seconds", "30", "--resamples", "100",
                "--cards", project.toString(), "--models", tmp.resolve("models").toString());
        assertThat(score.exitCode()).as(score.out() + score.err()).isZero();

        try (Records records = Records.open(url())) {
            assertThat(records.submissions().get(slow).orElseThrow().status()).isEqualTo(SubmissionStatus.SCORED);
            List<CaseScore> hung = records.results().cases(board(records, "meningioma").get(EntryCorpus.SLOW).runId(), "meningioma");
            assertThat(hung).hasSize(4 * 3);
            // flagged missing: the model delivered no prediction for the case (docs/metrics.md)
            assertThat(hung).allSatisfy(c -> assertThat(c.flag()).isEqualTo(CaseFlag.MISSING));
            // Each case's clock starts when the child says "ready" (models loaded): the start allowance is
            // for loading only, else the first case would run into the entry's 30 s limit.
            assertThat(hung).as("every case timed out on its own clock")
                    .allSatisfy(c -> assertThat(c.reason()).isEqualTo("timed out after 2 s"));
            // the same entry's other task, and the other entry, are untouched
            List<CaseScore> infarct = records.results().cases(board(records, "infarct").get(EntryCorpus.SLOW).runId(), "infarct");
            assertThat(infarct.stream().map(CaseScore::caseId).distinct()).hasSize(6);
            assertThat(infarct).allSatisfy(c -> assertThat(c.flag()).isNull());
            assertThat(records.submissions().get(other).orElseThrow().status()).isEqualTo(SubmissionStatus.SCORED);
            assertThat(board(records, "brain-age").get("good-predictions-csv").metrics().get("mae").score()).isCloseTo(2.0, within(1e-3));
        }
    }

    @Test
    void theSameContentSubmittedTwiceIsTheSameSubmission() throws IOException {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        Path folder = corpus.write("good-predictions-csv");
        CliRun first = submit(folder.toString());
        assertThat(first.out()).matches("submission \\d+: valid\n");
        long id = number(first.out(), "submission (\\d+)");

        // again, and as a zip and a tar.gz of the same files: one submission
        Path zip = EntryCorpus.zip(folder, tmp.resolve("good-predictions-csv.zip"), null, null);
        Path tarGz = EntryCorpus.tarGz(folder, tmp.resolve("good-predictions-csv.tar.gz"), null, null);
        for (Path same : List.of(folder, zip, tarGz)) {
            CliRun again = submit(same.toString());
            assertThat(again.out()).as(same.getFileName().toString())
                    .isEqualTo("submission " + id + ": valid (the same content was submitted before)\n");
        }
        // one age changed is another submission
        Path csv = folder.resolve("brain-age.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        String[] row = lines.get(1).split(",");
        lines.set(1, row[0] + "," + (Double.parseDouble(row[1]) + 0.5));
        Files.write(csv, lines);
        assertThat(number(submit(folder.toString()).out(), "submission (\\d+): valid")).isNotEqualTo(id);
        try (Records records = Records.open(url())) {
            assertThat(records.submissions().all()).hasSize(2);
        }
    }

    @Test
    void oneBrokenEntryNeverStopsScoringTheOthers() throws IOException {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        long crash = number(submit(corpus.write(EntryCorpus.CRASH).toString()).out(), "submission (\\d+): valid");
        long gone = number(submit(corpus.write("good-predictions-files").toString()).out(), "submission (\\d+): valid");
        long good = number(submit(corpus.write("good-predictions-csv").toString()).out(), "submission (\\d+): valid");
        // a stored entry that lost its manifest after it was checked (a disk fault, a hand that slipped)
        try (Records records = Records.open(url())) {
            Files.delete(Path.of(records.submissions().get(gone).orElseThrow().folder()).resolve(Manifests.FILE));
        }

        CliRun score = brainfm("score", "--pending", "--resamples", "100", "--cards", project.toString(),
                "--models", tmp.resolve("models").toString());
        assertThat(score.exitCode()).as("one submission failed: " + score.out() + score.err()).isEqualTo(1);

        try (Records records = Records.open(url())) {
            SubmissionRow lost = records.submissions().get(gone).orElseThrow();
            assertThat(lost.status()).isEqualTo(SubmissionStatus.FAILED);
            assertThat(lost.reasons()).containsExactly("its manifest no longer reads as when it was checked",
                    "manifest.yaml: missing; every entry needs one (submissions/README.md)");
            // a model that fails on every case still scores: each case the worst value, flagged with ONNX Runtime's words
            assertThat(records.submissions().get(crash).orElseThrow().status()).isEqualTo(SubmissionStatus.SCORED);
            List<CaseScore> crashed = records.results().cases(board(records, "meningioma").get(EntryCorpus.CRASH).runId(), "meningioma");
            assertThat(crashed).hasSize(4 * 3).allSatisfy(c -> {
                assertThat(c.flag()).isEqualTo(CaseFlag.INVALID);
                assertThat(c.reason()).startsWith("the model failed on it: ");
            });
            // The reason, at most 300 characters, names the model as the entry does and keeps ONNX Runtime's
            // words; the organiser's store path, Java's exception names and ORT's C++ location are left out.
            assertThat(crashed).as("a failed case's reason keeps ONNX Runtime's message, not the store's path")
                    .allSatisfy(c -> assertThat(c.reason()).startsWith("the model failed on it: meningioma/model.onnx: ")
                            .contains("cannot be reshaped").doesNotContain(tmp.resolve("store").toString())
                            .doesNotContain("Exception").doesNotContain("onnxruntime_src"));
            assertThat(records.submissions().get(good).orElseThrow().status()).isEqualTo(SubmissionStatus.SCORED);
            assertThat(board(records, "brain-age").get("good-predictions-csv").metrics().get("mae").score()).isCloseTo(2.0, within(1e-3));
        }
        CliRun list = CliRun.of("submissions", "--db", url());
        assertThat(list.out()).contains("failed", "- its manifest no longer reads as when it was checked");
    }

    // ---- helpers

    private String url() {
        return "jdbc:h2:file:" + tmp.resolve("db");
    }

    /** brainfm with this test's records and the tiny project's datasets. */
    private CliRun brainfm(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--datasets", project.resolve("datasets.yaml").toString(), "--db", url()));
        return CliRun.of(all.toArray(String[]::new));
    }

    private CliRun submit(String... args) {
        List<String> all = new ArrayList<>(List.of("submit"));
        all.addAll(List.of(args));
        all.addAll(List.of("--store", tmp.resolve("store").toString(), "--cards", project.toString(),
                "--models", tmp.resolve("models").toString()));
        CliRun run = brainfm(all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return run;
    }

    private static long number(String out, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(out);
        assertThat(m.find()).as("'%s' in %s", pattern, out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A task's board by entry name. */
    private static Map<String, BoardRow> board(Records records, String task) {
        Map<String, BoardRow> byName = new LinkedHashMap<>();
        records.board().forTask(task).forEach(r -> byName.put(r.entry(), r));
        return byName;
    }

    /** The boards as the report quotes them: task, team, entry, and each metric's value. */
    private static String boards(Records records) {
        StringBuilder s = new StringBuilder();
        for (String task : List.of("meningioma", "infarct", "brain-age")) {
            for (BoardRow r : records.board().forTask(task)) {
                s.append(task).append(" | ").append(r.team()).append(" | ").append(r.entry());
                r.metrics().forEach((k, v) -> s.append(" | ").append(k).append(' ').append(v.score() == null ? "-"
                        : String.format(java.util.Locale.ROOT, "%.4f", v.score())));
                s.append('\n');
            }
        }
        return s.toString();
    }

    /** Dice of each case's mask in {@code folder} against its label on disk, by nibabel and numpy. */
    private Map<String, Double> nibabelDice(Path folder, List<Case> test) throws IOException {
        StringBuilder pairs = new StringBuilder();
        for (Case c : test) {
            pairs.append(TaskPlan.caseId(c)).append('\t').append(folder.resolve(EntryCorpus.stem(c) + ".nii.gz").toAbsolutePath())
                    .append('\t').append(c.label().toAbsolutePath()).append('\n');
        }
        Path list = Files.writeString(tmp.resolve("dice-pairs.tsv"), pairs);
        String script = """
                import sys, nibabel, numpy
                for line in open(sys.argv[1]):
                    case, mask, label = line.rstrip("\\n").split("\\t")
                    a = numpy.asarray(nibabel.load(mask).dataobj) > 0
                    b = numpy.asarray(nibabel.load(label).dataobj) > 0
                    print(case, repr(2.0 * (a & b).sum() / (a.sum() + b.sum())))
                """;
        Map<String, Double> dice = new LinkedHashMap<>();
        DebianPython.run(tmp, 60, List.of("-c", script, list.toString())).lines().forEach(l -> {
            String[] f = l.split(" ");
            dice.put(f[0], Double.parseDouble(f[1]));
        });
        return dice;
    }
}
