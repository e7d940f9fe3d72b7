package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.finetune.TinyProject;
import org.brainfm.records.Backend;
import org.brainfm.records.BoardRow;
import org.brainfm.records.EpochRow;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.brainfm.records.RunStatus;
import org.brainfm.records.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brainfm grid --run slurm} on a real Slurm (scripts/slurm-local, which scripts/test starts)
 * with PostgreSQL as the records: 2 cards x 1 task x 2 seeds as one job array; one array task is
 * sent SIGTERM mid-training ({@code scancel --signal=TERM}), checkpoints, is requeued and resumes
 * from its checkpoint; at the end every job's model is on the board. One test, so CI submits one
 * small grid (the requeued task alone waits about two minutes for its BeginTime).
 */
class GridSlurmTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @TempDir
    Path dir;

    @Test
    void aJobArrayRunsTheGridAndATaskStoppedBySigtermResumesFromItsCheckpoint() throws Exception {
        assumeTrue(slurmUp(), "no Slurm cluster answers here (scontrol ping): scripts/slurm-local start, or ./scripts/test, starts one");
        String url = databases.url(Backend.POSTGRESQL, dir);
        TinyProject.write(dir);
        Path second = dir.resolve("tiny-unet-b.yaml");
        Files.writeString(second, TinyProject.CARD.replace("name: tiny-unet", "name: tiny-unet-b"));
        List<String> grid = new ArrayList<>(List.of("grid", "--cards", dir.resolve("tiny-unet.yaml") + "," + second,
                "--tasks", "infarct", "--seeds", "1,2", "--epochs", "4", "--iterations", "40",
                "--finetune-options", "--batch 1 --resamples 20",
                "--datasets", dir.resolve("datasets.yaml").toString(), "--models", dir.resolve("models").toString(),
                "--device", "cpu", "--db", url, "--dir", dir.resolve("grid").toString(), "--brainfm", GridCommandTest.launcher()));

        List<String> submit = new ArrayList<>(grid);
        submit.addAll(List.of("--run", "slurm"));
        CliRun submitted = CliRun.of(submit.toArray(String[]::new));
        assertThat(submitted.exitCode()).as(submitted.out() + submitted.err()).isZero();
        assertThat(submitted.out()).contains("4 of 4 jobs to run");
        Matcher array = Pattern.compile("submitted job array (\\d+)").matcher(submitted.out());
        assertThat(array.find()).as(submitted.out()).isTrue();
        String arrayId = array.group(1);
        String script = Files.readString(dir.resolve("grid/grid.sbatch"));

        // SIGTERM to the first job seen training (an epoch logged, still running), as preemption would send it
        String stoppedHash;
        try (Records records = Records.open(url)) {
            RunRow training = waitFor(() -> squeue(arrayId).isEmpty() ? failFast(arrayId) : records.runs().all().stream()
                    .filter(r -> r.kind() == RunKind.FINETUNE && r.status() == RunStatus.RUNNING && !records.runs().epochs(r.id()).isEmpty())
                    .findFirst().orElse(null), 300, "a grid job training");
            stoppedHash = JSON.readTree(training.config()).get("grid_job").asText();
        }
        Matcher index = Pattern.compile("(?m)^  (\\d+)\\) # .*, job " + stoppedHash + "$").matcher(script);
        assertThat(index.find()).as(script).isTrue();
        String task = arrayId + "_" + index.group(1);
        // scancel may report "Job can not be altered now" though the step got the signal (the task requeues itself
        // meanwhile): what counts is the records' and the log's account below
        new ProcessBuilder("scancel", "--signal=TERM", task).inheritIO().start().waitFor();

        // the array drains: three tasks end, the stopped one is requeued, waits for its BeginTime and ends too
        waitFor(() -> squeue(arrayId).isEmpty() ? Boolean.TRUE : null, 600, "job array " + arrayId + " to leave the queue");

        List<String> status = new ArrayList<>(grid);
        status.add("--status");
        CliRun progress = CliRun.of(status.toArray(String[]::new));
        assertThat(progress.out()).as(progress.err()).contains("4 jobs: 0 not started, 0 running, 0 interrupted, 0 failed, 4 done");
        String log = Files.readString(dir.resolve("grid/logs/task-" + index.group(1) + ".log"));
        assertThat(log).contains("requeueing " + task).contains("restart 1");

        try (Records records = Records.open(url)) {
            List<RunRow> runs = records.runs().all().stream().filter(r -> r.kind() == RunKind.FINETUNE).toList();
            assertThat(runs).noneMatch(r -> r.status() == RunStatus.RUNNING);
            List<RunRow> ofStopped = runs.stream().filter(r -> r.config().contains(stoppedHash)).toList();
            assertThat(ofStopped).extracting(RunRow::status).containsExactly(RunStatus.INTERRUPTED, RunStatus.DONE);
            assertThat(ofStopped.get(0).error()).contains("stopped on request").contains("checkpoint in");
            // the second run went on from the checkpoint: it logs no epoch the first one finished
            List<EpochRow> before = records.runs().epochs(ofStopped.get(0).id());
            List<EpochRow> after = records.runs().epochs(ofStopped.get(1).id());
            assertThat(before).isNotEmpty();
            assertThat(after).isNotEmpty();
            assertThat(after.get(0).epoch()).isGreaterThan(before.get(before.size() - 1).epoch());
            assertThat(after.get(after.size() - 1).epoch()).isEqualTo(4);
            assertThat(runs).filteredOn(r -> r.status() == RunStatus.DONE).hasSize(4);
            List<BoardRow> board = records.board().forTask("infarct");
            assertThat(board).extracting(BoardRow::entry).containsExactlyInAnyOrder("tiny-unet mini scratch", "tiny-unet-b mini scratch");
            assertThat(board).allSatisfy(row -> assertThat(row.seedRuns()).extracting(BoardRow.SeedRun::seed).containsExactlyInAnyOrder(1L, 2L));
            // what the grid did, for the test's report: the jobs' states, the stopped job's runs, the board
            System.out.print(progress.out());
            ofStopped.forEach(r -> System.out.println("job " + stoppedHash + ": finetune run " + r.id() + " " + r.status().name()
                    + ", epochs " + records.runs().epochs(r.id()).stream().map(e -> Integer.toString(e.epoch())).toList()
                    + (r.error() == null ? "" : ", " + r.error())));
            board.forEach(row -> System.out.println("board infarct: " + row.entry() + ", seeds " + row.seedRuns().stream()
                    .map(s -> s.seed() + " (run " + s.runId() + ")").toList() + ", AUROC "
                    + row.metrics().get("auroc").score() + ", accuracy " + row.metrics().get("accuracy").score()));
        }
        List<String> again = new ArrayList<>(grid);
        again.addAll(List.of("--run", "slurm"));
        CliRun replanned = CliRun.of(again.toArray(String[]::new));
        System.out.print(replanned.out());
        assertThat(replanned.out()).contains("0 of 4 jobs to run");
    }

    /** The array left the queue before any job trained: the tasks' logs say why. */
    private RunRow failFast(String arrayId) throws IOException {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.list(dir.resolve("grid/logs"))) {
            for (Path f : files.toList()) {
                logs.append(f.getFileName()).append(":\n").append(Files.readString(f)).append('\n');
            }
        }
        throw new AssertionError("job array " + arrayId + " ended before a job trained:\n" + logs);
    }

    private static boolean slurmUp() {
        try {
            Process p = new ProcessBuilder("scontrol", "ping").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The array's tasks still queued or running, as squeue lists them. */
    private static String squeue(String arrayId) {
        try {
            Process p = new ProcessBuilder("squeue", "-h", "-j", arrayId, "-o", "%i %T").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            // squeue names a job that left the queue as invalid once it is purged
            return out.contains("Invalid job id") ? "" : out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until {@code probe} gives a value; fails after {@code seconds}, naming what it waited for. */
    private static <T> T waitFor(Probe<T> probe, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("waited " + seconds + " s for " + what + "; queue: " + squeue(""));
    }
}
