package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.CASE_RESULT;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.RUN;
import static org.jooq.impl.DSL.count;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.compute.Hardware;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run killed with SIGKILL while it writes results leaves the records consistent: on the
 * next open it is marked interrupted, every result set it committed is whole, the one it was
 * writing is either whole or absent, and the database takes new runs. On an H2 file and on
 * PostgreSQL (where the server rolls back what the dead client left open).
 */
class CrashTest {
    private static final int ROWS = 5_000;
    private static final int COMMITTED_BEFORE_KILL = 3;

    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRunKilledMidWriteIsMarkedInterruptedAndItsCommittedResultsAreIntact(Backend backend) throws Exception {
        String url = databases.url(backend, dir);
        for (int attempt = 0; attempt < 2; attempt++) {
            long runId;
            int lastCommitted = -1;
            int inFlight;
            try (ChildJvm child = new ChildJvm(dir.resolve("child-" + attempt + ".log"), "write", url,
                    String.valueOf(ROWS))) {
                String first = child.nextLine();
                assertThat(first).startsWith("run ");
                runId = Long.parseLong(first.substring(4));
                while (true) {
                    String line = child.nextLine();
                    if (line.startsWith("committed ")) {
                        lastCommitted = Integer.parseInt(line.substring(10));
                    } else if (line.startsWith("writing ") && lastCommitted >= COMMITTED_BEFORE_KILL - 1) {
                        inFlight = Integer.parseInt(line.substring(8));
                        break;
                    }
                }
                child.process.destroyForcibly(); // SIGKILL: no shutdown hook, no H2 close
                assertThat(child.process.waitFor()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
            }

            try (Records records = Records.open(url)) {
                assertThat(records.interruptedOnOpen()).containsExactly(runId);
                RunRow run = records.runs().get(runId).orElseThrow();
                assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
                assertThat(run.error()).contains("ended without finishing");
                assertThat(run.wallSeconds()).as("compute up to the last write").isPositive();
                assertThat(run.ended()).isNull();
            }
            Map<String, Integer> sets = resultSets(url, runId);
            for (int k = 0; k <= lastCommitted; k++) {
                assertThat(sets).as("committed set %d", k).containsEntry("m" + k, ROWS);
            }
            assertThat(sets.keySet()).as("sets present: the committed ones, and the one in flight only if whole")
                    .isSubsetOf(setNames(inFlight));
            assertThat(sets.values()).containsOnly(ROWS);
            assertConsistent(url, runId, sets);
        }

        try (Records records = Records.open(url)) {
            assertThat(records.interruptedOnOpen()).isEmpty();
            assertThat(records.runs().all()).extracting(RunRow::status)
                    .containsExactly(RunStatus.INTERRUPTED, RunStatus.INTERRUPTED);
            try (ActiveRun run = records.runs().start(NewRun.finetune("unet-mini", "infarct", null), Hardware.cpu())) {
                run.writeResults("infarct", CrashChild.batch(0, 10), List.of());
                run.finish(1L);
            }
        }
    }

    private static List<String> setNames(int upTo) {
        return java.util.stream.IntStream.rangeClosed(0, upTo).mapToObj(k -> "m" + k).toList();
    }

    /** Rows per metric (one metric per result set) of a run's per-case results. */
    private static Map<String, Integer> resultSets(String url, long runId) {
        Map<String, Integer> sets = new HashMap<>();
        TestDb.with(url, db -> db.select(CASE_RESULT.METRIC, count()).from(CASE_RESULT)
                .where(CASE_RESULT.RUN_ID.eq(runId)).groupBy(CASE_RESULT.METRIC)
                .forEach(r -> sets.put(r.value1(), r.value2())));
        return sets;
    }

    /**
     * Reads every row of the run's tables and checks what one transaction wrote together:
     * each result set has its aggregate with n equal to its rows, and an epoch logged before it.
     */
    private static void assertConsistent(String url, long runId, Map<String, Integer> sets) {
        TestDb.with(url, db -> {
            assertThat(db.fetchCount(RUN)).isPositive();
            Map<String, Integer> aggregates = new HashMap<>();
            db.selectFrom(AGGREGATE_RESULT).where(AGGREGATE_RESULT.RUN_ID.eq(runId))
                    .forEach(a -> aggregates.put(a.getMetric(), a.getN()));
            assertThat(aggregates).isEqualTo(sets);
            int epochs = db.fetchCount(EPOCH_LOG, EPOCH_LOG.RUN_ID.eq(runId));
            assertThat(epochs).isGreaterThanOrEqualTo(sets.size());
            assertThat(db.fetchCount(CASE_RESULT, CASE_RESULT.RUN_ID.eq(runId)))
                    .isEqualTo(sets.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(db.selectFrom(CASE_RESULT).where(CASE_RESULT.RUN_ID.eq(runId)).fetch())
                    .allSatisfy(r -> assertThat(r.getScore()).isBetween(0.0, 1.0));
        });
    }
}
