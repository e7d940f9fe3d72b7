package org.brainfm.records;

import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.RUN;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.CommonTableExpression;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.Record4;
import org.jooq.Record;
import org.jooq.Table;

/** The leaderboard as a query over entries, their latest shown scoring runs, lineages and aggregates, never a copy. */
public final class Board {
    private final Sql sql;

    Board(Sql sql) {
        this.sql = sql;
    }

    /**
     * The board of one task, one row per shown entry that has a finished, shown scoring run on
     * it (the latest such run counts), ordered by entry id; ranking is the caller's. Compute
     * sums the scoring run and every run it started from, following {@code init_run_id}
     * (finetuning, then pretraining), hidden or not: the whole measured cost of the model.
     */
    public List<BoardRow> forTask(String taskId) {
        CommonTableExpression<Record2<Long, Long>> latest = name("latest").fields("entry_id", "run_id").as(
                select(RUN.ENTRY_ID, max(RUN.ID)).from(RUN)
                        .where(RUN.KIND.eq(RunKind.SCORE.id()), RUN.STATUS.eq(RunStatus.DONE.id()),
                                RUN.TASK_ID.eq(taskId), RUN.ENTRY_ID.isNotNull(), RUN.HIDDEN.isFalse())
                        .groupBy(RUN.ENTRY_ID));
        Field<Long> latestRun = latest.field("run_id", Long.class);

        Table<?> lineageRef = table(name("lineage"));
        Field<Long> lineageRoot = field(name("lineage", "root_id"), Long.class);
        Field<Long> lineageInit = field(name("lineage", "init_id"), Long.class);
        CommonTableExpression<Record3<Long, Long, Long>> lineage = name("lineage")
                .fields("root_id", "run_id", "init_id").as(
                        select(latestRun, RUN.ID, RUN.INIT_RUN_ID).from(latest).join(RUN).on(RUN.ID.eq(latestRun))
                                .unionAll(select(lineageRoot, RUN.ID, RUN.INIT_RUN_ID).from(lineageRef)
                                        .join(RUN).on(RUN.ID.eq(lineageInit))));
        Field<Long> lineageRun = lineage.field("run_id", Long.class);

        CommonTableExpression<Record4<Long, Double, Double, Long>> spent = name("spent")
                .fields("root_id", "device_seconds", "gpu_seconds", "parameters").as(
                        select(lineage.field("root_id", Long.class),
                                        sum(coalesce(RUN.DEVICE_SECONDS, inline(0.0))).cast(Double.class),
                                        sum(coalesce(RUN.GPU_SECONDS, inline(0.0))).cast(Double.class),
                                        max(RUN.PARAMETERS))
                                .from(lineage).join(RUN).on(RUN.ID.eq(lineageRun))
                                .groupBy(lineage.field("root_id", Long.class)));
        Field<Long> spentRoot = spent.field("root_id", Long.class);
        Field<Double> spentDevice = spent.field("device_seconds", Double.class);
        Field<Double> spentGpu = spent.field("gpu_seconds", Double.class);
        Field<Long> parameters = coalesce(RUN.PARAMETERS, spent.field("parameters", Long.class));

        Map<Long, BoardRow> rows = new LinkedHashMap<>();
        // From spent outwards (each of its rows is a latest run, whose entry is run.entry_id): joined
        // the other way, H2 evaluates the recursive CTE again for every row, seconds at 1,000 entries.
        List<? extends Record> result = sql.call(db -> db.withRecursive(latest, lineage, spent)
                .select(ENTRY.ID, ENTRY.TEAM, ENTRY.NAME, ENTRY.FAMILY, ENTRY.BASELINE, RUN.ID, parameters,
                        spentDevice, spentGpu, AGGREGATE_RESULT.METRIC, AGGREGATE_RESULT.SCORE,
                        AGGREGATE_RESULT.CI_LOW, AGGREGATE_RESULT.CI_HIGH, AGGREGATE_RESULT.N)
                .from(spent)
                .join(RUN).on(RUN.ID.eq(spentRoot))
                .join(ENTRY).on(ENTRY.ID.eq(RUN.ENTRY_ID))
                .leftJoin(AGGREGATE_RESULT).on(AGGREGATE_RESULT.RUN_ID.eq(RUN.ID), AGGREGATE_RESULT.TASK_ID.eq(taskId))
                .where(ENTRY.HIDDEN.isFalse())
                .orderBy(ENTRY.ID, AGGREGATE_RESULT.METRIC)
                .fetch());
        result.forEach(r -> {
            BoardRow row = rows.computeIfAbsent(r.get(ENTRY.ID), id -> new BoardRow(id, r.get(ENTRY.TEAM),
                    r.get(ENTRY.NAME), DbEnum.parse(Family.class, r.get(ENTRY.FAMILY)),
                    r.get(ENTRY.BASELINE), r.get(RUN.ID), r.get(parameters),
                    r.get(spentDevice) / 3600, r.get(spentGpu) / 3600, new LinkedHashMap<>()));
            String metric = r.get(AGGREGATE_RESULT.METRIC);
            if (metric != null) {
                row.metrics().put(metric, new AggregateScore(metric, r.get(AGGREGATE_RESULT.SCORE),
                        r.get(AGGREGATE_RESULT.CI_LOW), r.get(AGGREGATE_RESULT.CI_HIGH),
                        r.get(AGGREGATE_RESULT.N)));
            }
        });
        return new ArrayList<>(rows.values());
    }

    /** The board's fingerprint: one short query over indexed columns and the hidden flags of entries and runs. */
    public ChangeStamp changeStamp() {
        Record r = sql.call(db -> db.select(
                        select(coalesce(max(RUN.ID), inline(0L))).from(RUN).asField("last_run"),
                        select(count()).from(RUN).where(RUN.ENDED_AT.isNotNull()).asField("ended_runs"),
                        select(max(RUN.ENDED_AT)).from(RUN).asField("last_ended"),
                        select(coalesce(max(ENTRY.ID), inline(0L))).from(ENTRY).asField("last_entry"),
                        select(count()).from(ENTRY).where(ENTRY.HIDDEN.isTrue()).asField("hidden"),
                        select(coalesce(sum(ENTRY.ID), inline(BigDecimal.ZERO))).from(ENTRY)
                                .where(ENTRY.HIDDEN.isTrue()).asField("hidden_sum"),
                        select(count()).from(RUN).where(RUN.HIDDEN.isTrue()).asField("hidden_runs"),
                        select(coalesce(sum(RUN.ID), inline(BigDecimal.ZERO))).from(RUN)
                                .where(RUN.HIDDEN.isTrue()).asField("hidden_run_sum"))
                .fetchOne());
        return new ChangeStamp(r.get(0, Long.class), r.get(1, Long.class), r.get(2, OffsetDateTime.class),
                r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class), r.get(6, Long.class),
                r.get(7, Long.class));
    }
}
