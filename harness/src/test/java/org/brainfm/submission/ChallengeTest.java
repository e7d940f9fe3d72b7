package org.brainfm.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.cli.CliRun;
import org.brainfm.finetune.TinyProject;
import org.brainfm.metrics.Metric;
import org.brainfm.plan.TaskPlan;
import org.brainfm.data.Datasets;
import org.brainfm.records.BoardRow;
import org.brainfm.records.CaseScore;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import org.brainfm.records.RunRow;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.records.TeamRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A challenge run from the command line as an organiser would (docs/challenge.md): teams with
 * tokens, a sanity phase before the test phase, limits per period, a board per phase that the
 * general board never mixes in, and a scoring queue that gives back what a killed worker left.
 */
class ChallengeTest {
    @TempDir
    static Path project;

    @TempDir
    Path tmp;

    @BeforeAll
    static void project() {
        TinyProject.write(project);
    }

    @Test
    void aTeamEntersASanityPhaseThenTheTestPhaseEachWithItsOwnBoardAndLimit() throws IOException {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        CliRun team = brainfm("teams", "add", EntryCorpus.TEAM);
        assertThat(team.exitCode()).as(team.err()).isZero();
        String token = line(team.out(), "token: (\\S+)");
        ok(brainfm("phases", "add", "sanity", "--tasks", "meningioma", "--split", "sanity", "--open", "--limit", "2"));
        ok(brainfm("phases", "add", "final", "--tasks", "meningioma", "--split", "test", "--requires", "sanity", "--open",
                "--rule", "latest"));
        ok(brainfm("phases", "add", "later", "--tasks", "meningioma", "--opens", "2999-01-01T00:00Z"));
        assertThat(brainfm("phases", "list").out()).contains("sanity", "final", "requires sanity", "opens at 2999-01-01T00:00Z");

        Path model = corpus.write("good-onnx-model");
        // the test phase wants a scored sanity entry first; a phase not open yet says when it opens
        assertThat(refused(model, "final")).contains("takes entries of teams that passed phase sanity");
        assertThat(refused(model, "later")).contains("phase later opens at 2999-01-01 00:00 UTC");

        // a phase scores only its tasks, and predictions for its own cases
        CliRun wrong = submit(corpus.write("good-predictions-files"), "sanity");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.out()).contains("tasks.infarct: phase sanity does not score this task (its tasks: meningioma)")
                .contains("meningioma");
        assertThat(submit(model, "sanity").out()).matches("(?s)submission \\d+: valid\n");
        ok(brainfm("score", "--pending", "--resamples", "50", "--cards", project.toString(), "--models", tmp.resolve("models").toString()));

        TaskPlan plan = new TaskPlan(Datasets.load(project.resolve("datasets.yaml")), "meningioma");
        try (Records records = Records.open(url())) {
            TeamRow row = records.teams().byToken(token).orElseThrow();
            assertThat(row.name()).isEqualTo(EntryCorpus.TEAM);
            assertThat(records.teams().byToken(token + "x")).isEmpty();
            PhaseRow sanity = records.phases().byName("sanity").orElseThrow();
            SubmissionRow scored = records.submissions().ofTeam(row.id()).get(0);
            assertThat(scored.status()).as(scored.reasons().toString()).isEqualTo(SubmissionStatus.SCORED);
            assertThat(scored.phaseId()).isEqualTo(sanity.id());
            // scored on the public finetuning cases, on the phase's board only
            RunRow run = records.runs().all().stream().filter(r -> scored.id() == (r.submissionId() == null ? -1 : r.submissionId()))
                    .findFirst().orElseThrow();
            assertThat(run.phaseId()).isEqualTo(sanity.id());
            assertThat(records.results().cases(run.id(), "meningioma").stream().map(CaseScore::caseId).distinct().sorted())
                    .containsExactlyElementsOf(plan.split(1).finetune().stream().limit(5).map(TaskPlan::caseId).sorted().toList());
            assertThat(records.board().forTask("meningioma")).isEmpty();
            assertThat(records.board().forPhase(sanity, "meningioma", Metric.DICE)).extracting(BoardRow::team)
                    .containsExactly(EntryCorpus.TEAM);
        }

        // passed: the test phase takes the same model and scores it on the hidden cases but the validation quarter
        assertThat(submit(model, "final").out()).matches("(?s)submission \\d+: valid\n");
        ok(brainfm("score", "--pending", "--resamples", "50", "--cards", project.toString(), "--models", tmp.resolve("models").toString()));
        try (Records records = Records.open(url())) {
            PhaseRow last = records.phases().byName("final").orElseThrow();
            List<BoardRow> board = records.board().forPhase(last, "meningioma", Metric.DICE);
            assertThat(board).hasSize(1);
            List<String> test = plan.split(1).test().stream().map(TaskPlan::caseId).toList();
            assertThat(records.results().cases(board.get(0).runId(), "meningioma").stream().map(CaseScore::caseId).distinct().sorted())
                    .containsExactlyElementsOf(test.subList(1, test.size()).stream().sorted().toList());
        }

        // the sanity phase's limit: the invalid upload did not count, a second valid one does, a third is refused
        Path second = corpus.write("good-onnx-model");
        Files.writeString(second.resolve("manifest.yaml"), Files.readString(second.resolve("manifest.yaml"))
                .replace("entry: good-onnx-model", "entry: good-onnx-model-2"));
        assertThat(submit(second, "sanity").exitCode()).isZero();
        Files.writeString(second.resolve("manifest.yaml"), Files.readString(second.resolve("manifest.yaml"))
                .replace("entry: good-onnx-model-2", "entry: good-onnx-model-3"));
        assertThat(refused(second, "sanity")).contains("has sent the 2 entries phase sanity takes in 24 h; the next slot opens at ");

        // a team's template lists the cases of the phase's split
        CliRun template = CliRun.of("template", "--task", "meningioma", "--split", "sanity", "--out", tmp.resolve("template").toString(),
                "--datasets", project.resolve("datasets.yaml").toString());
        ok(template);
        assertThat(Files.readAllLines(tmp.resolve("template/cases.csv")).stream().skip(1).map(l -> l.split(",")[0]))
                .containsExactlyElementsOf(plan.split(1).finetune().stream().limit(5).map(TaskPlan::caseId).toList());

        assertThat(brainfm("submissions").out()).containsPattern("Corpus Lab\\s+good-onnx-model\\s+model\\s+final\\s+scored")
                .contains("phase sanity does not score this task");
        ok(brainfm("phases", "rule", "final", "best"));
        assertThat(brainfm("phases", "list").out()).containsPattern("final .*board: best");
        ok(brainfm("phases", "close", "final"));
        assertThat(refused(model, "final")).contains("phase final closed at ");
        try (Records records = Records.open(url())) {
            assertThat(records.audit().latest(100)).extracting(a -> a.action())
                    .contains("team added", "phase added", "phase closed", "upload refused")
                    .anyMatch(a -> a.startsWith("phase rule set: each team's best scored entry"));
        }
    }

    @Test
    void aWorkerKilledWhileScoringLeavesItsSubmissionToBeScoredAgainNeverLost() throws Exception {
        EntryCorpus corpus = new EntryCorpus(project, tmp.resolve("corpus"));
        CliRun sent = brainfm("submit", corpus.write(EntryCorpus.SLOW).toString(), "--store", tmp.resolve("store").toString(),
                "--cards", project.toString());
        assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
        long id = Long.parseLong(line(sent.out(), "submission (\\d+)"));

        // a worker in its own JVM, killed (SIGKILL) while it scores the slow model
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.brainfm.cli.Main", "score", "--pending", "--case-seconds", "30",
                "--datasets", project.resolve("datasets.yaml").toString(), "--db", url(), "--cards", project.toString(),
                "--models", tmp.resolve("models").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("worker.log").toFile());
        builder.environment().put("BRAINFM_RUN_LEASE", "2");
        Process worker = builder.start();
        try (Records records = Records.open(url())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (records.submissions().get(id).orElseThrow().status() != SubmissionStatus.SCORING) {
                assertThat(System.nanoTime()).as(Files.readString(tmp.resolve("worker.log"))).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly().waitFor();

        try (Records records = Records.open(url())) {
            SubmissionRow left = records.submissions().get(id).orElseThrow();
            assertThat(left.status()).isEqualTo(SubmissionStatus.SCORING);
            assertThat(left.tries()).isEqualTo(1);
            Thread.sleep(2_500);   // the lease (2 s) runs out
            assertThat(records.submissions().releaseExpired(ScoringQueue.MAX_TRIES)).containsExactly(id);
            assertThat(records.submissions().get(id).orElseThrow().status()).isEqualTo(SubmissionStatus.VALID);
            // a submission whose every try dies ends failed with the reason, after MAX_TRIES
            for (int i = 2; i <= ScoringQueue.MAX_TRIES; i++) {
                assertThat(records.submissions().claim(id, List.of(SubmissionStatus.VALID), Duration.ofMillis(1))).isTrue();
                Thread.sleep(20);
                records.submissions().releaseExpired(ScoringQueue.MAX_TRIES);
            }
            SubmissionRow failed = records.submissions().get(id).orElseThrow();
            assertThat(failed.status()).isEqualTo(SubmissionStatus.FAILED);
            assertThat(failed.reasons()).singleElement().asString().startsWith("scoring stopped 3 times without finishing");
            // nothing of the killed worker's run is on the board
            assertThat(records.board().forTask("meningioma")).isEmpty();
        }
    }

    // ---- helpers

    /** The records, shared with a worker in another JVM (H2's automatic server). */
    private String url() {
        return "jdbc:h2:file:" + tmp.resolve("db") + ";AUTO_SERVER=TRUE";
    }

    private CliRun brainfm(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", url()));
        // the commands that read datasets.yaml
        if (List.of("submit", "score").contains(args[0]) || args[0].equals("phases") && args[1].equals("add")) {
            all.addAll(List.of("--datasets", project.resolve("datasets.yaml").toString()));
        }
        return CliRun.of(all.toArray(String[]::new));
    }

    private CliRun submit(Path entry, String phase) {
        return brainfm("submit", entry.toString(), "--phase", phase, "--team", EntryCorpus.TEAM, "--store",
                tmp.resolve("store").toString(), "--cards", project.toString());
    }

    private String refused(Path entry, String phase) {
        CliRun run = submit(entry, phase);
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        return run.err();
    }

    private static void ok(CliRun run) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }

    private static String line(String out, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(out);
        assertThat(m.find()).as("'%s' in %s", pattern, out).isTrue();
        return m.group(1);
    }
}
