package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.brainfm.compute.Hardware;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Backend;
import org.brainfm.records.Family;
import org.brainfm.records.Fixtures;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code brainfm db copy}, and how every {@code --db} names a PostgreSQL server in its errors. */
class DbCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @Test
    void copyHelpSaysWhatIsCopiedWhatTheTargetMustBeAndHowToLogIn() {
        CliRun r = CliRun.of("db", "copy", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--from=JDBC-URL", "--to=JDBC-URL", "keeping every id", "must hold no runs, entries or submissions",
                "one transaction", "PGUSER and PGPASSWORD", "~/.pgpass", "brainfm db copy --from jdbc:h2:file:");
        assertThat(CliRun.of("--help").out()).contains("db ");
        assertThat(CliRun.of("db").out()).contains("copy");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void copyMovesAStudyAndRefusesToCopyOverRuns(Backend backend) {
        String from = databases.url(Backend.H2, dir, "laptop");
        String to = databases.url(backend, dir, "cluster");
        long scoreRun = writeStudy(from);

        CliRun r = CliRun.of("db", "copy", "--from", from, "--to", to);
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "copied " + Records.location(from) + " into " + Records.location(to) + ":",
                "  dataset           1", "  task              2", "  model_card        2", "  team              0",
                "  phase             0", "  submission        0", "  entry             1", "  run               2",
                "  epoch_log         1", "  case_result       3", "  aggregate_result  1", "  audit             0");
        CliRun runs = CliRun.of("runs", "--db", to);
        assertThat(runs.exitCode()).isZero();
        assertThat(runs.out()).isEqualTo(CliRun.of("runs", "--db", from).out());
        try (Records records = Records.open(to)) {
            assertThat(records.board().forTask("infarct")).singleElement()
                    .satisfies(row -> assertThat(row.runId()).isEqualTo(scoreRun));
        }

        CliRun again = CliRun.of("db", "copy", "--from", from, "--to", to);
        assertThat(again.exitCode()).isEqualTo(Main.ERROR_EXIT);
        assertThat(again.err()).isEqualTo("brainfm: " + Records.location(to) + ": already holds 2 runs, 1 entries and"
                + " 0 submissions; db copy only fills a database without them, so that every id stays as it was:"
                + " give a new H2 file or a new PostgreSQL database (createdb -O USER NAME)\n");
    }

    @Test
    void aRefusedPostgresqlLoginNamesTheServerAndNeverThePassword() {
        String url = databases.url(Backend.POSTGRESQL, dir);
        String secret = "hunter2-" + System.nanoTime();
        for (List<String> command : List.of(List.of("runs"), List.of("export", "--format", "csv"))) {
            String[] args = new String[command.size() + 2];
            command.toArray(args);
            args[command.size()] = "--db";
            args[command.size() + 1] = url + "?password=" + secret;
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(String.join(" ", command)).isEqualTo(Main.ERROR_EXIT);
            assertThat(r.err()).startsWith("brainfm: " + url + ": the server refused user '")
                    .doesNotContain(secret);
            assertThat(r.out()).doesNotContain(secret);
        }
        CliRun copy = CliRun.of("db", "copy", "--from", databases.url(Backend.H2, dir), "--to", url + "?password=" + secret);
        assertThat(copy.err()).doesNotContain(secret);
    }

    /** A catalog, a pretraining run with one epoch and a scoring run of a baseline with one result set. */
    private static long writeStudy(String url) {
        try (Records records = Records.open(url)) {
            Fixtures.catalog(records);
            long pretrain;
            try (ActiveRun run = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu())) {
                run.logEpoch(0, 1, 0.5, 1e-4);
                run.finish(100L);
                pretrain = run.id();
            }
            long entry = records.entries().add(NewEntry.baseline("brainfm", "U-Net", Family.CNN, "unet-mini"));
            try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct").withInit(pretrain), Hardware.cpu())) {
                run.writeResults("infarct", Fixtures.diceCases(3), List.of(new AggregateScore("dice", 0.3, 0.1, 0.5, 3)));
                run.finish(null);
                return run.id();
            }
        }
    }
}
