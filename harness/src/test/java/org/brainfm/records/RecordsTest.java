package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.brainfm.records.Fixtures.catalog;
import static org.brainfm.records.Fixtures.diceCases;
import static org.brainfm.records.Fixtures.fileUrl;
import static org.brainfm.records.Fixtures.json;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.brainfm.compute.Hardware;
import org.brainfm.compute.Usage;
import org.brainfm.metrics.TaskType;
import org.flywaydb.core.Flyway;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The repositories on both databases (an H2 file, a PostgreSQL database), but for what is about H2 files. */
class RecordsTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @Test
    void openCreatesTheFileAndAppliesTheMigrationsOnce() {
        String url = fileUrl(dir);
        assertThat(Records.exists(url)).isFalse();
        try (Records records = Records.open(url)) {
            catalog(records);
            assertThat(records.location()).isEqualTo(dir.resolve("records.mv.db").toString());
        }
        assertThat(Files.exists(dir.resolve("records.mv.db"))).isTrue();
        assertThat(Records.exists(url)).isTrue();
        try (Records again = Records.open(url)) {
            assertThat(again.catalog().taskIds()).containsExactly("infarct", "meningioma");
        }
        var info = Flyway.configure().dataSource(url, null, null).load().info();
        assertThat(info.applied()).hasSize(8);
        assertThat(info.current().getVersion().getVersion()).isEqualTo("8");
        assertThat(info.pending()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRunRoundTripsWithItsCurveResultsAndMeasuredCompute(Backend backend) {
        String url = databases.url(backend, dir);
        OffsetDateTime before = OffsetDateTime.now();
        long runId;
        Usage usage;
        long burnt;
        try (Records records = Records.open(url)) {
            catalog(records);
            try (ActiveRun run = records.runs().start(NewRun.finetune("unet-mini", "meningioma", null).withSeed(42)
                    .withObjective("dice-ce").withConfig(json("{\"lr\": 0.001, \"epochs\": 2}")), Hardware.cpu())) {
                runId = run.id();
                run.logEpoch(0, 10, 0.9, 1e-3);
                run.logEpoch(new EpochRow(1, 20, 0.5, 5e-4, 0.6));
                burnt = burnCpu(200);
                run.writeResults("meningioma", diceCases(5), List.of(new AggregateScore("dice", 0.4, 0.1, 0.7, 5)));
                usage = run.finish(123_456L);
            }
        }
        try (Records records = Records.open(url)) {
            RunRow run = records.runs().get(runId).orElseThrow();
            assertThat(run.kind()).isEqualTo(RunKind.FINETUNE);
            assertThat(run.status()).isEqualTo(RunStatus.DONE);
            assertThat(run.cardId()).isEqualTo("unet-mini");
            assertThat(run.taskId()).isEqualTo("meningioma");
            assertThat(run.seed()).isEqualTo(42L);
            assertThat(run.objective()).isEqualTo("dice-ce");
            assertThat(json(run.config())).isEqualTo(json("{\"epochs\": 2, \"lr\": 0.001}"));
            assertThat(run.started()).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(run.ended()).isAfterOrEqualTo(run.started());
            assertThat(run.parameters()).isEqualTo(123_456L);
            assertThat(run.deviceType()).isEqualTo("cpu");
            assertThat(run.deviceName()).isEqualTo(Hardware.cpu().name());
            assertThat(run.deviceCount()).isEqualTo(1);
            assertThat(run.wallSeconds()).isEqualTo(usage.wallSeconds()).isGreaterThanOrEqualTo(0.2);
            assertThat(run.deviceSeconds()).isEqualTo(run.wallSeconds());
            assertThat(run.gpuSeconds()).isZero();
            // the process's CPU time includes at least what this thread burnt while the run ran
            // (less the process clock's tick, a hundredth of a second)
            assertThat(run.cpuSeconds()).isGreaterThanOrEqualTo(burnt / 1e9 - 0.02);
            assertThat(run.peakMemoryBytes()).isGreaterThan(10L << 20);
            assertThat(run.gitCommit()).matches("[0-9a-f]{40}(-dirty)?");
            assertThat(run.host()).isNotBlank();
            assertThat(run.error()).isNull();

            assertThat(records.runs().epochs(runId)).containsExactly(
                    new EpochRow(0, 10, 0.9, 1e-3, null), new EpochRow(1, 20, 0.5, 5e-4, 0.6));
            assertThat(records.results().cases(runId, "meningioma")).containsExactlyInAnyOrderElementsOf(diceCases(5));
            assertThat(records.results().aggregates(runId, "meningioma"))
                    .containsExactly(new AggregateScore("dice", 0.4, 0.1, 0.7, 5));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aResultSetIsWrittenWhollyOrNotAtAll(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            catalog(records);
            ActiveRun run = records.runs().start(NewRun.score(entry(records, "a"), "infarct"), Hardware.cpu());
            List<CaseScore> duplicate = List.of(CaseScore.of("c1", "auroc", 0.5), CaseScore.of("c2", "auroc", 0.5),
                    CaseScore.of("c1", "auroc", 0.7));
            assertThatThrownBy(() -> run.writeResults("infarct", duplicate,
                    List.of(new AggregateScore("auroc", 0.5, null, null, 3))))
                    .isInstanceOf(DataAccessException.class);
            assertThat(records.results().cases(run.id(), "infarct")).isEmpty();
            assertThat(records.results().aggregates(run.id(), "infarct")).isEmpty();

            run.writeResults("infarct", List.of(CaseScore.of("c1", "auroc", 0.5)),
                    List.of(new AggregateScore("auroc", 0.5, null, null, 1)));
            assertThat(records.results().cases(run.id(), "infarct")).hasSize(1);
            run.finish(null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void undefinedScoresAreStoredAsNullAndInfiniteOnesRefused(Backend backend) {
        String url = databases.url(backend, dir);
        assertThat(new CaseScore("c", "dice", Double.NaN, null).score()).isNull();
        assertThatThrownBy(() -> CaseScore.of("c", "hd95", Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hd95");
        try (Records records = Records.open(url)) {
            catalog(records);
            try (ActiveRun run = records.runs().start(NewRun.score(entry(records, "a"), "infarct"), Hardware.cpu())) {
                run.writeResults("infarct", List.of(new CaseScore("c", "dice", Double.NaN, CaseFlag.INVALID)), List.of());
                assertThat(records.results().cases(run.id(), "infarct"))
                        .containsExactly(new CaseScore("c", "dice", null, CaseFlag.INVALID));
                run.finish(null);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRunEndsOnceAndClosingItUnfinishedRecordsAFailure(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            catalog(records);
            long failedId;
            try (ActiveRun run = records.runs().start(NewRun.pretrain("vit-mini", "mae"), Hardware.cpu())) {
                failedId = run.id();
            }
            RunRow failed = records.runs().get(failedId).orElseThrow();
            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failed.error()).contains("without finish()");

            ActiveRun run = records.runs().start(NewRun.pretrain("vit-mini", "mae"), Hardware.cpu());
            run.fail("diverged: loss is NaN", 1000L);
            assertThatThrownBy(() -> run.finish(1000L)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> run.logEpoch(3, 30, 1.0, 0.1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is failed, not running");
            assertThat(records.runs().get(run.id()).orElseThrow().error()).isEqualTo("diverged: loss is NaN");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRunMustReferToRecordedCardsTasksEntriesAndRuns(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            catalog(records);
            assertThatThrownBy(() -> records.runs().start(NewRun.pretrain("nope", "mae"), Hardware.cpu()))
                    .hasMessageContaining("no model card 'nope'");
            assertThatThrownBy(() -> records.runs().start(NewRun.finetune("unet-mini", "nope", null), Hardware.cpu()))
                    .hasMessageContaining("no task 'nope'");
            assertThatThrownBy(() -> records.runs().start(NewRun.finetune("unet-mini", "infarct", 99L), Hardware.cpu()))
                    .hasMessageContaining("no run '99'");
            assertThat(records.runs().all()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void runsOfADeadProcessAreMarkedInterruptedOnOpenAndLiveOnesAreLeftAlone(Backend backend) throws Exception {
        String url = databases.url(backend, dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long live;
        long dead;
        long elsewhere;
        try (Records records = Records.open(url)) {
            catalog(records);
            live = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id();
            dead = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id();
            elsewhere = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id();
        }
        TestDb.setOwner(url, dead, null, deadPid);
        TestDb.setOwner(url, elsewhere, "some-other-host", deadPid);
        try (Records records = Records.open(url)) {
            assertThat(records.interruptedOnOpen()).containsExactly(dead);
            assertThat(records.runs().get(dead).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(records.runs().get(dead).orElseThrow().error()).contains("pid " + deadPid);
            assertThat(records.runs().get(live).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(records.runs().get(elsewhere).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        }
        try (Records records = Records.open(url)) {
            assertThat(records.interruptedOnOpen()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void runsOfOtherHostsAreMarkedInterruptedOnceTheirHeartbeatIsOlderThanTheLease(Backend backend) {
        String url = databases.url(backend, dir);
        long fresh;
        long stale;
        long beforeSchema5;
        try (Records records = Records.open(url)) {
            catalog(records);
            fresh = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id();
            stale = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id();
            beforeSchema5 = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id();
            assertThat(records.runs().heartbeat(fresh)).isPresent();
        }
        OffsetDateTime now = TestDb.now(url);
        for (long run : List.of(fresh, stale, beforeSchema5)) {
            TestDb.setOwner(url, run, "host-a", 1);
        }
        TestDb.setHeartbeat(url, fresh, now.minusMinutes(4));
        TestDb.setHeartbeat(url, stale, now.minusMinutes(6));
        TestDb.setHeartbeat(url, beforeSchema5, null);
        Lease fiveMinutes = new Lease(Lease.DEFAULT);
        try (Records records = Records.open(url, Owner.current(), fiveMinutes)) {
            assertThat(records.interruptedOnOpen()).containsExactly(stale);
            RunRow run = records.runs().get(stale).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.error()).startsWith("interrupted: no heartbeat from its process (pid 1 on host-a) since ")
                    .contains("longer than the lease of 300 s");
            assertThat(records.runs().get(fresh).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(records.runs().get(beforeSchema5).orElseThrow().status()).as("no heartbeat to judge")
                    .isEqualTo(RunStatus.RUNNING);
            assertThat(records.runs().heartbeat(beforeSchema5)).isEmpty();
        }
        try (Records records = Records.open(url, Owner.current(), new Lease(java.time.Duration.ofMinutes(3)))) {
            assertThat(records.interruptedOnOpen()).containsExactly(fresh);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theBoardIsAQueryOverEntriesTheirLatestScoringRunAndItsLineage(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            catalog(records);
            long pretrain = finishedRun(records, NewRun.pretrain("unet-mini", "cross-contrast"), Hardware.cpu(), 300);
            long finetune = finishedRun(records, NewRun.finetune("unet-mini", "infarct", pretrain), Hardware.cpu(), 100);
            long baseline = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            long submission = Fixtures.submission(records, "team-vit", "submissions/vit");
            long submitted = records.entries().add(NewEntry.submitted("team-vit", "ViT-3D", Family.TRANSFORMER, submission));
            long hidden = records.entries().add(NewEntry.submitted("team-x", "secret", Family.OTHER, submission));

            score(records, baseline, finetune, 0.70, 1_000L);   // superseded by the next one
            long baselineScore = score(records, baseline, finetune, 0.80, 1_000L);
            long vitScore = score(records, submitted, null, 0.75, 9_000L);
            score(records, hidden, null, 0.99, 5L);
            records.entries().setHidden(hidden, true);
            try (ActiveRun failing = records.runs().start(NewRun.score(submitted, "infarct"), Hardware.cpu())) {
                failing.fail("model.onnx unreadable", null);
            }

            List<BoardRow> board = records.board().forTask("infarct");
            assertThat(board).extracting(BoardRow::entry).containsExactly("U-Net mini", "ViT-3D");
            BoardRow unet = board.get(0);
            assertThat(unet.runId()).isEqualTo(baselineScore);
            assertThat(unet.baseline()).isTrue();
            assertThat(unet.family()).isEqualTo(Family.CNN);
            assertThat(unet.parameters()).isEqualTo(1_000L);
            assertThat(unet.metrics().get("auroc")).isEqualTo(new AggregateScore("auroc", 0.80, 0.80 - 0.1, 0.80 + 0.1, 4));
            double lineageSeconds = seconds(records, pretrain) + seconds(records, finetune) + seconds(records, baselineScore);
            assertThat(unet.deviceHours()).isCloseTo(lineageSeconds / 3600, within(1e-12));
            assertThat(unet.gpuHours()).isZero();
            BoardRow vit = board.get(1);
            assertThat(vit.runId()).isEqualTo(vitScore);
            assertThat(vit.team()).isEqualTo("team-vit");
            assertThat(vit.deviceHours()).isCloseTo(seconds(records, vitScore) / 3600, within(1e-12));
            assertThat(records.board().forTask("meningioma")).isEmpty();

            records.entries().setHidden(hidden, false);
            assertThat(records.board().forTask("infarct")).extracting(BoardRow::entry).containsExactly("U-Net mini", "ViT-3D", "secret");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aHiddenScoringRunGivesItsPlaceToTheEntrysPreviousShownOne(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            catalog(records);
            long pretrain = finishedRun(records, NewRun.pretrain("unet-mini", "cross-contrast"), Hardware.cpu(), 50);
            long finetune = finishedRun(records, NewRun.finetune("unet-mini", "infarct", pretrain), Hardware.cpu(), 50);
            long baseline = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            long other = entry(records, "only once");
            long first = score(records, baseline, null, 0.70, 1_000L);
            long second = score(records, baseline, finetune, 0.80, 2_000L);
            long latest = score(records, baseline, null, 0.90, 3_000L);
            long once = score(records, other, null, 0.60, 10L);

            records.runs().setHidden(latest, true);
            BoardRow unet = records.board().forTask("infarct").get(0);
            assertThat(unet.runId()).isEqualTo(second);
            assertThat(unet.metrics().get("auroc").score()).isEqualTo(0.80);
            assertThat(unet.parameters()).isEqualTo(2_000L);
            // the lineage's compute stays as measured, a hidden run in it included
            records.runs().setHidden(finetune, true);
            double lineageSeconds = seconds(records, pretrain) + seconds(records, finetune) + seconds(records, second);
            assertThat(records.board().forTask("infarct").get(0).deviceHours()).isCloseTo(lineageSeconds / 3600, within(1e-12));

            records.runs().setHidden(second, true);
            assertThat(records.board().forTask("infarct").get(0).runId()).isEqualTo(first);
            records.runs().setHidden(once, true);
            assertThat(records.board().forTask("infarct")).extracting(BoardRow::entryId).containsExactly(baseline);
            assertThat(records.runs().get(once).orElseThrow().hidden()).isTrue();
            assertThat(records.runs().get(first).orElseThrow().hidden()).isFalse();

            records.runs().setHidden(latest, false);
            records.runs().setHidden(once, false);
            assertThat(records.board().forTask("infarct")).extracting(BoardRow::runId).containsExactly(latest, once);
            assertThatThrownBy(() -> records.runs().setHidden(999, true)).hasMessageContaining("no run 999");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aFileWrittenAtSchemaVersion1MigratesOnOpenAndKeepsItsRuns(Backend backend) {
        String url = databases.url(backend, dir);
        TestDb.flyway(url).locations("classpath:db/migration").target("1").load().migrate();
        // rows as a brainfm of schema version 1 wrote them: no run.hidden column yet
        TestDb.with(url, db -> {
            for (String sql : List.of(
                    "INSERT INTO dataset (id, source, definition, registered_at) VALUES ('phantom', 'synthetic', '{}',"
                            + " CURRENT_TIMESTAMP)",
                    "INSERT INTO task (id, dataset_id, kind, definition, registered_at) VALUES ('infarct', 'phantom',"
                            + " 'classification', '{}', CURRENT_TIMESTAMP)",
                    "INSERT INTO submission (id, team, source, received_at, status, error) VALUES (1, 'team',"
                            + " 'submissions/team', CURRENT_TIMESTAMP, 'invalid', 'no manifest')",
                    "INSERT INTO entry (id, team, name, family, submission_id, baseline, hidden, status, created_at) VALUES"
                            + " (1, 'team', 'model', 'cnn', 1, FALSE, FALSE, 'scored', CURRENT_TIMESTAMP)",
                    "INSERT INTO run (id, kind, entry_id, task_id, status, started_at, ended_at, host, owner_pid,"
                            + " owner_start_ms, device_type, device_name, device_count, device_seconds, git_commit, config)"
                            + " VALUES (1, 'score', 1, 'infarct', 'done', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'elsewhere',"
                            + " 1, 1, 'cpu', 'cpu', 1, 36.0, 'abc', '{}')",
                    "INSERT INTO aggregate_result (run_id, task_id, metric, score, ci_low, ci_high, n) VALUES (1,"
                            + " 'infarct', 'auroc', 0.75, 0.6, 0.9, 40)")) {
                db.execute(sql);
            }
        });
        assertThat(TestDb.flyway(url).load().info().current().getVersion().getVersion())
                .isEqualTo("1");

        try (Records records = Records.open(url)) {
            assertThat(records.runs().get(1).orElseThrow().hidden()).isFalse();
            BoardRow row = records.board().forTask("infarct").get(0);
            assertThat(row.runId()).isEqualTo(1);
            assertThat(row.metrics().get("auroc").score()).isEqualTo(0.75);
            assertThat(row.deviceHours()).isEqualTo(0.01);
            records.runs().setHidden(1, true);
            assertThat(records.board().forTask("infarct")).isEmpty();
            // version 4 lets a submission be scoring; version 1's statuses stay
            assertThat(records.submissions().get(1).orElseThrow().status()).isEqualTo(SubmissionStatus.INVALID);
            records.submissions().setStatus(1, SubmissionStatus.VALID, List.of());
            assertThat(records.submissions().claim(1, List.of(SubmissionStatus.VALID), java.time.Duration.ofMinutes(1))).isTrue();
            assertThat(records.submissions().get(1).orElseThrow().status()).isEqualTo(SubmissionStatus.SCORING);
        }
        var info = TestDb.flyway(url).load().info();
        assertThat(info.current().getVersion().getVersion()).isEqualTo("8");
        assertThat(info.pending()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void submissionsAndEntriesKeepTheirStatus(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            long submission = Fixtures.submission(records, "team", "submissions/team");
            long entry = records.entries().add(NewEntry.submitted("team", "model", Family.HYBRID, submission));
            records.submissions().setStatus(submission, SubmissionStatus.INVALID, List.of("manifest.yaml: no 'family'"));
            assertThat(records.submissions().get(submission).orElseThrow().reasons()).containsExactly("manifest.yaml: no 'family'");
            records.entries().setStatus(entry, EntryStatus.FAILED, "predictions/ is empty");
            assertThat(records.entries().idOf("team", "model")).contains(entry);
            assertThat(records.entries().idOf("team", "other")).isEmpty();
            assertThatThrownBy(() -> records.entries().add(NewEntry.submitted("team", "model", Family.CNN, submission)))
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> records.entries().setStatus(999, EntryStatus.VALID, null))
                    .hasMessageContaining("no entry 999");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theCatalogAndEntriesReadBackAndTheChangeStampFollowsTheBoard(Backend backend) {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url)) {
            catalog(records);
            assertThat(records.catalog().datasets()).extracting(DatasetRow::id, DatasetRow::source).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("phantom", "synthetic"));
            assertThat(records.catalog().datasets().get(0).definition()).isEqualTo(json("{\"subjects\": 12, \"seed\": 7}"));
            assertThat(records.catalog().tasks()).extracting(TaskRow::id, TaskRow::type).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("infarct", TaskType.CLASSIFICATION),
                    org.assertj.core.groups.Tuple.tuple("meningioma", TaskType.SEGMENTATION));
            assertThat(records.catalog().card("vit-mini")).contains(new CardRow("vit-mini", Family.TRANSFORMER, "vit3d", "mae",
                    json("{\"depth\": 2}")));
            assertThat(records.catalog().card("nope")).isEmpty();

            ChangeStamp empty = records.board().changeStamp();
            assertThat(empty).isEqualTo(new ChangeStamp(0, 0, null, 0, 0, 0, 0, 0, null));
            long baseline = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            long other = entry(records, "other");
            ChangeStamp withEntries = records.board().changeStamp();
            assertThat(withEntries).isNotEqualTo(empty);
            assertThat(withEntries.lastEntry()).isEqualTo(other);

            long run = score(records, baseline, null, 0.8, 10L);
            ChangeStamp scored = records.board().changeStamp();
            assertThat(scored.lastRun()).isEqualTo(run);
            assertThat(scored.endedRuns()).isEqualTo(1);
            assertThat(scored.lastEnded()).isEqualTo(records.runs().get(run).orElseThrow().ended());

            records.entries().setHidden(other, true);
            ChangeStamp hidden = records.board().changeStamp();
            assertThat(hidden).isNotEqualTo(scored);
            assertThat(hidden.hiddenEntries()).isEqualTo(1);
            assertThat(hidden.hiddenIdSum()).isEqualTo(other);
            assertThat(records.board().changeStamp()).isEqualTo(hidden);

            records.runs().setHidden(run, true);
            ChangeStamp runHidden = records.board().changeStamp();
            assertThat(runHidden).isNotEqualTo(hidden);
            assertThat(runHidden.hiddenRuns()).isEqualTo(1);
            assertThat(runHidden.hiddenRunIdSum()).isEqualTo(run);
            records.runs().setHidden(run, false);
            assertThat(records.board().changeStamp()).isEqualTo(hidden);

            assertThat(records.entries().all()).extracting(EntryRow::id).containsExactly(baseline, other);
            EntryRow info = records.entries().get(other).orElseThrow();
            assertThat(info.hidden()).isTrue();
            assertThat(info.team()).isEqualTo("team");
            assertThat(info.status()).isEqualTo(EntryStatus.RECEIVED);
            assertThat(info.submissionId()).isNotNull();
            EntryRow card = records.entries().get(baseline).orElseThrow();
            assertThat(card.baseline()).isTrue();
            assertThat(card.cardId()).isEqualTo("unet-mini");
            assertThat(card.family()).isEqualTo(Family.CNN);
            assertThat(records.entries().get(999)).isEmpty();
        }
    }

    private long entry(Records records, String name) {
        return records.entries().add(NewEntry.submitted("team", name, Family.OTHER, Fixtures.submission(records, "team", "s/" + name)));
    }

    private static long finishedRun(Records records, NewRun spec, Hardware devices, long burnMillis) {
        try (ActiveRun run = records.runs().start(spec, devices)) {
            burnCpu(burnMillis);
            run.finish(1_000L);
            return run.id();
        }
    }

    private static long score(Records records, long entry, Long init, double auroc, long parameters) {
        try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct").withInit(init), Hardware.cpu())) {
            run.writeResults("infarct", List.of(CaseScore.of("c1", "auroc", auroc)),
                    List.of(new AggregateScore("auroc", auroc, auroc - 0.1, auroc + 0.1, 4)));
            run.finish(parameters);
            return run.id();
        }
    }

    private static double seconds(Records records, long run) {
        return records.runs().get(run).orElseThrow().deviceSeconds();
    }

    /** Keeps this thread busy for {@code millis} of wall time and returns the CPU nanoseconds it used. */
    static long burnCpu(long millis) {
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long end = System.nanoTime() + millis * 1_000_000;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        if (x < 0) {
            throw new AssertionError();
        }
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
    }
}
