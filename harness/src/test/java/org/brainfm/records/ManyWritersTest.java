package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.CASE_RESULT;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.RUN;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.notExists;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Eight processes write runs, curves and result sets into one database at once while this one
 * reads: nothing is lost, every result set is whole, and no reader ever sees half of one.
 * PostgreSQL takes the eight writers as they are. An H2 file takes one process only, so there
 * this test holds the file and the writers reach it through H2's AUTO_SERVER (docs/records.md):
 * the same many writers, served by one process.
 */
class ManyWritersTest {
    private static final int WRITERS = 8;
    private static final int RUNS = 4;
    private static final int SETS = 3;
    private static final int ROWS = 2_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void eightWritersAtOnceLoseNothingAndNoReaderSeesHalfAResultSet(Backend backend) throws Exception {
        String url = databases.url(backend, dir) + (backend == Backend.H2 ? ";AUTO_SERVER=TRUE" : "");
        long started = System.nanoTime();
        long retries = 0;
        int checks = 0;
        long largestSeen = 0;
        try (Records reader = Records.open(url); Connection connection = Database.at(url).connect()) {
            Fixtures.catalog(reader);
            DSLContext db = DSL.using(connection, JDBCUtils.dialect(url),
                    new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));
            List<ChildJvm> writers = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    writers.add(new ChildJvm(dir.resolve("writer-" + w + ".log"), "many", url, String.valueOf(w),
                            String.valueOf(RUNS), String.valueOf(SETS), String.valueOf(ROWS)));
                }
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                // read while they write: each check is one statement, so one snapshot
                for (ChildJvm writer : writers) {
                    while (!writer.process.waitFor(20, TimeUnit.MILLISECONDS)) {
                        assertThat(System.nanoTime()).as("writers still busy after 5 minutes").isLessThan(deadline);
                        Record3<Integer, Integer, Integer> seen = snapshot(db);
                        assertThat(seen.value2()).as("result sets whose aggregate n differs from their rows").isZero();
                        assertThat(seen.value3()).as("per-case rows without their aggregate").isZero();
                        largestSeen = Math.max(largestSeen, seen.value1());
                        reader.board().forTask("infarct").forEach(row -> assertThat(row.metrics().values())
                                .allSatisfy(a -> assertThat(a.n()).isEqualTo(ROWS)));
                        checks++;
                    }
                }
                for (int w = 0; w < WRITERS; w++) {
                    ChildJvm writer = writers.get(w);
                    Path log = dir.resolve("writer-" + w + ".log");
                    assertThat(writer.process.exitValue()).as("writer %d exit; its log: %s", w, Files.readString(log))
                            .isZero();
                    String[] done = writer.nextLine().split(" ");
                    assertThat(done[0] + " " + done[1]).isEqualTo("done " + RUNS);
                    retries += Long.parseLong(done[2]);
                    assertThat(Files.readString(log)).as("writer %d's errors", w).doesNotContain("Exception");
                }
            } finally {
                for (ChildJvm writer : writers) {
                    writer.close();
                }
            }

            int runs = WRITERS * RUNS;
            assertThat(db.fetchCount(RUN, RUN.STATUS.eq(RunStatus.DONE.id()))).isEqualTo(runs);
            assertThat(db.fetchCount(RUN)).isEqualTo(runs);
            assertThat(db.fetchCount(EPOCH_LOG)).isEqualTo(runs * CrashChild.EPOCHS);
            assertThat(db.fetchCount(AGGREGATE_RESULT)).isEqualTo(runs * SETS);
            assertThat(db.fetchCount(CASE_RESULT)).isEqualTo(runs * SETS * ROWS);
            Record3<Integer, Integer, Integer> end = snapshot(db);
            assertThat(end.value1()).isEqualTo(runs * SETS);
            assertThat(end.value2()).isZero();
            assertThat(end.value3()).isZero();
            List<BoardRow> board = reader.board().forTask("infarct");
            assertThat(board).hasSize(WRITERS).allSatisfy(row -> assertThat(row.metrics()).hasSize(SETS));
            assertThat(reader.runs().all()).allSatisfy(r -> assertThat(r.error()).isNull());
            System.out.printf("many writers (%s): %d writers, %d runs, %d epoch rows, %d result sets, %d per-case rows,"
                    + " 0 errors, %d retries, %d consistent reads while writing (largest %d sets), %.1f s%n", backend,
                    WRITERS, runs, runs * CrashChild.EPOCHS, runs * SETS, runs * SETS * ROWS, retries, checks,
                    largestSeen, (System.nanoTime() - started) / 1e9);
        }
    }

    /** Result sets, those whose aggregate n differs from their per-case rows, and per-case rows without an aggregate. */
    private static Record3<Integer, Integer, Integer> snapshot(DSLContext db) {
        var a = AGGREGATE_RESULT;
        var c = CASE_RESULT;
        Field<Integer> sets = select(count()).from(a).asField("sets");
        Field<Integer> rows = select(count()).from(c)
                .where(c.RUN_ID.eq(a.RUN_ID), c.TASK_ID.eq(a.TASK_ID), c.METRIC.eq(a.METRIC)).asField();
        Field<Integer> half = select(count()).from(a).where(a.N.ne(rows)).asField("half");
        Field<Integer> orphans = select(count()).from(c).where(notExists(selectOne().from(a)
                .where(a.RUN_ID.eq(c.RUN_ID), a.TASK_ID.eq(c.TASK_ID), a.METRIC.eq(c.METRIC)))).asField("orphans");
        return db.select(sets, half, orphans).fetchOne();
    }
}
