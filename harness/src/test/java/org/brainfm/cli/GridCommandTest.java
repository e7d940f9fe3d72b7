package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.brainfm.finetune.TinyProject;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.brainfm.records.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brainfm grid --run local} on the tiny project: each job a child JVM writing the records (an
 * H2 file shared through AUTO_SERVER), a diverging job failed with its reason in the records, the
 * good one on the board, and planning again leaves out what is done.
 */
class GridCommandTest {
    @TempDir
    Path dir;

    /** How a job runs brainfm here: this JVM's class path (the launcher would build the project). */
    static String launcher() {
        return Path.of(System.getProperty("java.home"), "bin", "java") + " -Xmx768m -XX:TieredStopAtLevel=1 -cp "
                + System.getProperty("java.class.path") + " " + Main.class.getName();
    }

    private CliRun grid(String url, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("grid", "--cards", dir.resolve("tiny-unet.yaml").toString(),
                "--tasks", "infarct", "--seeds", "1", "--epochs", "1",
                "--datasets", dir.resolve("datasets.yaml").toString(), "--models", dir.resolve("models").toString(),
                "--device", "cpu", "--db", url, "--dir", dir.resolve("grid").toString(), "--brainfm", launcher()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void runsJobsHereRecordsFailuresWithTheirReasonAndPlansOnlyWhatIsMissing() {
        TinyProject.write(dir);
        String url = "jdbc:h2:file:" + dir.resolve("records") + ";AUTO_SERVER=TRUE";

        CliRun plan = grid(url, "--iterations", "3");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("tiny-unet (mini, scratch) on infarct, seed 1").contains("not started")
                .contains("1 of 1 jobs to run (plan only");
        String hash = plan.out().lines().filter(l -> l.startsWith("0 ")).findFirst().orElseThrow().split("\\s+")[1];

        // the good job, and one whose learning rate makes training diverge (instance norm's variance overflows once
        // the weights are 1e30, then every step is not finite): another configuration, another job
        CliRun ran = grid(url, "--iterations", "3", "--run", "local", "--workers", "2", "--finetune-options", "--batch 1 --resamples 20");
        CliRun diverged = grid(url, "--iterations", "10", "--run", "local", "--finetune-options", "--batch 1 --resamples 20 --lr 1e30");
        assertThat(ran.exitCode()).as(ran.out() + ran.err()).isZero();
        assertThat(ran.out()).contains("1 of 1 jobs ended well");
        assertThat(diverged.exitCode()).as(diverged.out() + diverged.err()).isEqualTo(1);

        CliRun status = grid(url, "--iterations", "3", "--status", "--finetune-options", "--batch 1 --resamples 20");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("1 jobs: 0 not started, 0 running, 0 interrupted, 0 failed, 1 done");
        assertThat(hash).isNotIn(status.out()); // the extra options are part of the configuration
        CliRun failed = grid(url, "--iterations", "10", "--status", "--finetune-options", "--batch 1 --resamples 20 --lr 1e30");
        assertThat(failed.out()).contains("1 failed").contains("not finite");

        CliRun again = grid(url, "--iterations", "3", "--run", "local", "--finetune-options", "--batch 1 --resamples 20");
        assertThat(again.out()).contains("0 of 1 jobs to run");

        try (Records records = Records.open(url)) {
            List<RunRow> runs = records.runs().all();
            assertThat(runs).filteredOn(r -> r.kind() == RunKind.FINETUNE).extracting(RunRow::status)
                    .containsExactlyInAnyOrder(RunStatus.DONE, RunStatus.FAILED);
            RunRow done = runs.stream().filter(r -> r.kind() == RunKind.FINETUNE && r.status() == RunStatus.DONE).findFirst().orElseThrow();
            assertThat(done.config()).contains("\"grid_job\"");
            assertThat(records.board().forTask("infarct")).singleElement()
                    .satisfies(row -> assertThat(records.runs().get(row.runId()).orElseThrow().initRunId()).isEqualTo(done.id()));
        }
    }
}
