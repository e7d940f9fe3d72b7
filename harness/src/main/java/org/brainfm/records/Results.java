package org.brainfm.records;

import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.CASE_RESULT;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.RUN;

import java.util.List;
import java.util.function.Consumer;
import org.brainfm.compute.Usage;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Result sets: a run's per-case results and aggregates on a task, written all or nothing. */
public final class Results {
    /** Rows per JDBC batch when writing per-case results. */
    private static final int BATCH_ROWS = 5_000;

    private final Sql sql;

    Results(Sql sql) {
        this.sql = sql;
    }

    /** One result set (a run's per-case results and aggregates on one task) in one transaction. */
    void write(long runId, String taskId, List<CaseScore> cases, List<AggregateScore> aggregates, Usage usageSoFar) {
        sql.transaction(t -> {
            Runs.requireRunning(t, runId);
            for (int from = 0; from < cases.size(); from += BATCH_ROWS) {
                BatchBindStep batch = t.batch(t.insertInto(CASE_RESULT, CASE_RESULT.RUN_ID, CASE_RESULT.TASK_ID,
                                CASE_RESULT.CASE_ID, CASE_RESULT.METRIC, CASE_RESULT.SCORE, CASE_RESULT.FLAG, CASE_RESULT.REASON,
                                CASE_RESULT.TRUTH)
                        .values((Long) null, null, null, null, null, null, null, null));
                for (CaseScore c : cases.subList(from, Math.min(cases.size(), from + BATCH_ROWS))) {
                    batch.bind(runId, taskId, c.caseId(), c.metric(), c.score(), c.flag() == null ? null : c.flag().id(),
                            c.reason(), c.truth());
                }
                batch.execute();
            }
            for (AggregateScore a : aggregates) {
                t.insertInto(AGGREGATE_RESULT)
                        .set(AGGREGATE_RESULT.RUN_ID, runId)
                        .set(AGGREGATE_RESULT.TASK_ID, taskId)
                        .set(AGGREGATE_RESULT.METRIC, a.metric())
                        .set(AGGREGATE_RESULT.SCORE, a.score())
                        .set(AGGREGATE_RESULT.CI_LOW, a.ciLow())
                        .set(AGGREGATE_RESULT.CI_HIGH, a.ciHigh())
                        .set(AGGREGATE_RESULT.N, a.n())
                        .execute();
            }
            Runs.setUsage(t, runId, usageSoFar);
        });
    }

    /** A run's per-case results on a task, by case and metric. */
    public List<CaseScore> cases(long runId, String taskId) {
        return sql.call(db -> db.selectFrom(CASE_RESULT)
                .where(CASE_RESULT.RUN_ID.eq(runId), CASE_RESULT.TASK_ID.eq(taskId))
                .orderBy(CASE_RESULT.CASE_ID, CASE_RESULT.METRIC)
                .fetch(r -> new CaseScore(r.getCaseId(), r.getMetric(), r.getScore(), flag(r.getFlag()), r.getReason(),
                        r.getTruth())));
    }

    /** A run's aggregates on a task, by metric. */
    public List<AggregateScore> aggregates(long runId, String taskId) {
        return sql.call(db -> db.selectFrom(AGGREGATE_RESULT)
                .where(AGGREGATE_RESULT.RUN_ID.eq(runId), AGGREGATE_RESULT.TASK_ID.eq(taskId))
                .orderBy(AGGREGATE_RESULT.METRIC)
                .fetch(r -> new AggregateScore(r.getMetric(), r.getScore(), r.getCiLow(), r.getCiHigh(), r.getN())));
    }

    /**
     * Streams every aggregate, then every per-case result (of one task, or of all when
     * {@code taskId} is null), each with the run, card and entry it belongs to.
     */
    public void export(String taskId, Consumer<ResultRow> sink) {
        Condition aggregateTask = taskId == null ? DSL.noCondition() : AGGREGATE_RESULT.TASK_ID.eq(taskId);
        Condition caseTask = taskId == null ? DSL.noCondition() : CASE_RESULT.TASK_ID.eq(taskId);
        sql.run(db -> {
            try (Cursor<? extends Record> rows = db.select(RUN.ID, RUN.KIND, RUN.CARD_ID, ENTRY.TEAM, ENTRY.NAME,
                            AGGREGATE_RESULT.TASK_ID, AGGREGATE_RESULT.METRIC, AGGREGATE_RESULT.SCORE,
                            AGGREGATE_RESULT.CI_LOW, AGGREGATE_RESULT.CI_HIGH, AGGREGATE_RESULT.N)
                    .from(AGGREGATE_RESULT)
                    .join(RUN).on(RUN.ID.eq(AGGREGATE_RESULT.RUN_ID))
                    .leftJoin(ENTRY).on(ENTRY.ID.eq(RUN.ENTRY_ID))
                    .where(aggregateTask)
                    .orderBy(AGGREGATE_RESULT.TASK_ID, RUN.ID, AGGREGATE_RESULT.METRIC)
                    .fetchLazy()) {
                for (Record r : rows) {
                    sink.accept(new ResultRow(ResultRow.AGGREGATE, r.get(RUN.ID), kind(r.get(RUN.KIND)),
                            r.get(RUN.CARD_ID), r.get(ENTRY.TEAM), r.get(ENTRY.NAME), r.get(AGGREGATE_RESULT.TASK_ID),
                            null, r.get(AGGREGATE_RESULT.METRIC), r.get(AGGREGATE_RESULT.SCORE),
                            r.get(AGGREGATE_RESULT.CI_LOW), r.get(AGGREGATE_RESULT.CI_HIGH), r.get(AGGREGATE_RESULT.N),
                            null));
                }
            }
            try (Cursor<? extends Record> rows = db.select(RUN.ID, RUN.KIND, RUN.CARD_ID, ENTRY.TEAM, ENTRY.NAME,
                            CASE_RESULT.TASK_ID, CASE_RESULT.CASE_ID, CASE_RESULT.METRIC, CASE_RESULT.SCORE,
                            CASE_RESULT.FLAG)
                    .from(CASE_RESULT)
                    .join(RUN).on(RUN.ID.eq(CASE_RESULT.RUN_ID))
                    .leftJoin(ENTRY).on(ENTRY.ID.eq(RUN.ENTRY_ID))
                    .where(caseTask)
                    .orderBy(CASE_RESULT.TASK_ID, RUN.ID, CASE_RESULT.CASE_ID, CASE_RESULT.METRIC)
                    .fetchLazy()) {
                for (Record r : rows) {
                    sink.accept(new ResultRow(ResultRow.CASE, r.get(RUN.ID), kind(r.get(RUN.KIND)),
                            r.get(RUN.CARD_ID), r.get(ENTRY.TEAM), r.get(ENTRY.NAME), r.get(CASE_RESULT.TASK_ID),
                            r.get(CASE_RESULT.CASE_ID), r.get(CASE_RESULT.METRIC), r.get(CASE_RESULT.SCORE), null, null,
                            null, flag(r.get(CASE_RESULT.FLAG))));
                }
            }
        });
    }

    private static RunKind kind(String id) {
        return DbEnum.parse(RunKind.class, id);
    }

    private static CaseFlag flag(String id) {
        return id == null ? null : DbEnum.parse(CaseFlag.class, id);
    }
}
