package org.brainfm.records;

import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.RUN;
import static org.brainfm.records.db.Tables.SUBMISSION;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectDistinct;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.when;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
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
     * it outside any challenge phase, ordered by entry id; ranking is the caller's. An entry's
     * scoring runs are grouped by their finetuning seed and the latest run of each seed counts:
     * each metric is the mean over those seeds, with their spread and a two-level bootstrap
     * interval ({@link SeedAggregates}); one seed shows its run's aggregates as stored. Compute
     * sums those runs and every run they started from, following {@code init_run_id}
     * (finetuning, then pretraining), each run once (seeds finetuned from one pretraining share
     * it), hidden or not: the whole measured cost, a finetuning run's scoring of its own test cases
     * left out (the score run repeats it). A submission's runs count only once it is
     * scored or failed, so the board never shows a submission half scored.
     */
    public List<BoardRow> forTask(String taskId) {
        Condition finished = RUN.SUBMISSION_ID.isNull().or(RUN.SUBMISSION_ID.in(select(SUBMISSION.ID).from(SUBMISSION)
                .where(SUBMISSION.STATUS.in(SubmissionStatus.SCORED.id(), SubmissionStatus.FAILED.id()))));
        return rows(taskId, RUN.PHASE_ID.isNull().and(finished));
    }

    /**
     * The board of one task in a challenge phase: one row per team, its submission chosen by the
     * organiser ({@code final}) or else by the phase's rule - the latest scored, or the best on
     * {@code rankBy} (ties: the later). Only scored submissions count.
     */
    public List<BoardRow> forPhase(PhaseRow phase, String taskId, Metric rankBy) {
        List<? extends Record> candidates = sql.call(db -> db.select(RUN.ID, SUBMISSION.TEAM_ID, SUBMISSION.FINAL_CHOICE,
                        AGGREGATE_RESULT.SCORE)
                .from(RUN).join(SUBMISSION).on(SUBMISSION.ID.eq(RUN.SUBMISSION_ID))
                .leftJoin(AGGREGATE_RESULT).on(AGGREGATE_RESULT.RUN_ID.eq(RUN.ID), AGGREGATE_RESULT.TASK_ID.eq(taskId),
                        AGGREGATE_RESULT.METRIC.eq(rankBy.key()))
                .where(RUN.PHASE_ID.eq(phase.id()), RUN.TASK_ID.eq(taskId), RUN.KIND.eq(RunKind.SCORE.id()),
                        RUN.STATUS.eq(RunStatus.DONE.id()), RUN.HIDDEN.isFalse(), SUBMISSION.STATUS.eq(SubmissionStatus.SCORED.id()))
                .orderBy(RUN.ID).fetch());
        Map<Long, Record> chosen = new LinkedHashMap<>();
        for (Record r : candidates) {
            Record held = chosen.get(r.get(SUBMISSION.TEAM_ID));
            boolean wins = held == null
                    || r.get(SUBMISSION.FINAL_CHOICE) && !held.get(SUBMISSION.FINAL_CHOICE)
                    || r.get(SUBMISSION.FINAL_CHOICE) == held.get(SUBMISSION.FINAL_CHOICE)
                            && (phase.rule() == BoardRule.LATEST || !rankBy.better(score(held), score(r)));
            if (wins) {
                chosen.put(r.get(SUBMISSION.TEAM_ID), r);
            }
        }
        List<Long> runs = chosen.values().stream().map(r -> r.get(RUN.ID)).toList();
        return runs.isEmpty() ? List.of() : rows(taskId, RUN.ID.in(runs));
    }

    private static double score(Record r) {
        Double v = r.get(AGGREGATE_RESULT.SCORE);
        return v == null ? Double.NaN : v;
    }

    private List<BoardRow> rows(String taskId, Condition shownRuns) {
        CommonTableExpression<Record3<Long, Long, Long>> latest = name("latest").fields("entry_id", "seed", "run_id").as(
                select(RUN.ENTRY_ID, RUN.SEED, max(RUN.ID)).from(RUN)
                        .where(RUN.KIND.eq(RunKind.SCORE.id()), RUN.STATUS.eq(RunStatus.DONE.id()),
                                RUN.TASK_ID.eq(taskId), RUN.ENTRY_ID.isNotNull(), RUN.HIDDEN.isFalse(), shownRuns)
                        .groupBy(RUN.ENTRY_ID, RUN.SEED));
        Field<Long> latestRun = latest.field("run_id", Long.class);
        Field<Long> latestEntry = latest.field("entry_id", Long.class);

        Table<?> lineageRef = table(name("lineage"));
        Field<Long> lineageRoot = field(name("lineage", "root_id"), Long.class);
        Field<Long> lineageInit = field(name("lineage", "init_id"), Long.class);
        CommonTableExpression<Record3<Long, Long, Long>> lineage = name("lineage")
                .fields("root_id", "run_id", "init_id").as(
                        select(latestRun, RUN.ID, RUN.INIT_RUN_ID).from(latest).join(RUN).on(RUN.ID.eq(latestRun))
                                .unionAll(select(lineageRoot, RUN.ID, RUN.INIT_RUN_ID).from(lineageRef)
                                        .join(RUN).on(RUN.ID.eq(lineageInit))));

        // Each run of an entry's lineages once: seeds finetuned from one pretraining run share it.
        CommonTableExpression<Record2<Long, Long>> owned = name("owned").fields("entry_id", "run_id").as(
                selectDistinct(latestEntry, lineage.field("run_id", Long.class))
                        .from(lineage).join(latest).on(latestRun.eq(lineage.field("root_id", Long.class))));
        Field<Long> ownedRun = owned.field("run_id", Long.class);
        Field<Long> ownedEntry = owned.field("entry_id", Long.class);
        // a finetuning run's scoring of its own test cases is repeated by the score run: counted once
        Field<Double> test = coalesce(RUN.TEST_SECONDS, inline(0.0));
        CommonTableExpression<Record4<Long, Double, Double, Long>> spent = name("spent")
                .fields("entry_id", "device_seconds", "gpu_seconds", "parameters").as(
                        select(ownedEntry,
                                        sum(coalesce(RUN.DEVICE_SECONDS, inline(0.0)).minus(test)).cast(Double.class),
                                        sum(coalesce(RUN.GPU_SECONDS, inline(0.0)).minus(
                                                when(RUN.GPU_SECONDS.gt(inline(0.0)), test).otherwise(inline(0.0)))).cast(Double.class),
                                        max(RUN.PARAMETERS))
                                .from(owned).join(RUN).on(RUN.ID.eq(ownedRun))
                                .groupBy(ownedEntry));
        Field<Long> spentEntry = spent.field("entry_id", Long.class);
        Field<Double> spentDevice = spent.field("device_seconds", Double.class);
        Field<Double> spentGpu = spent.field("gpu_seconds", Double.class);
        Field<Long> spentParameters = spent.field("parameters", Long.class);

        // From spent outwards (one row per entry): joined the other way, H2 evaluates the
        // recursive CTE again for every row, seconds at 1,000 entries.
        List<? extends Record> result = sql.call(db -> db.withRecursive(latest, lineage, owned, spent)
                .select(ENTRY.ID, ENTRY.TEAM, ENTRY.NAME, ENTRY.FAMILY, ENTRY.BASELINE, RUN.ID, RUN.SEED, RUN.PARAMETERS,
                        spentParameters, spentDevice, spentGpu, AGGREGATE_RESULT.METRIC, AGGREGATE_RESULT.SCORE,
                        AGGREGATE_RESULT.CI_LOW, AGGREGATE_RESULT.CI_HIGH, AGGREGATE_RESULT.N)
                .from(spent)
                .join(ENTRY).on(ENTRY.ID.eq(spentEntry))
                .join(latest).on(latestEntry.eq(spentEntry))
                .join(RUN).on(RUN.ID.eq(latestRun))
                .leftJoin(AGGREGATE_RESULT).on(AGGREGATE_RESULT.RUN_ID.eq(RUN.ID), AGGREGATE_RESULT.TASK_ID.eq(taskId))
                .where(ENTRY.HIDDEN.isFalse())
                .orderBy(ENTRY.ID, RUN.ID, AGGREGATE_RESULT.METRIC)
                .fetch());

        Map<Long, Scored> entries = new LinkedHashMap<>();
        result.forEach(r -> {
            Scored e = entries.computeIfAbsent(r.get(ENTRY.ID), id -> new Scored(r));
            long run = r.get(RUN.ID);
            Map<String, AggregateScore> metrics = e.runs.computeIfAbsent(run, id -> {
                e.seeds.add(new BoardRow.SeedRun(r.get(RUN.SEED), run));
                return new LinkedHashMap<>();
            });
            if (run >= e.latestRun) {
                e.latestRun = run;
                e.latestParameters = r.get(RUN.PARAMETERS);
            }
            String metric = r.get(AGGREGATE_RESULT.METRIC);
            if (metric != null) {
                metrics.put(metric, new AggregateScore(metric, r.get(AGGREGATE_RESULT.SCORE),
                        r.get(AGGREGATE_RESULT.CI_LOW), r.get(AGGREGATE_RESULT.CI_HIGH), r.get(AGGREGATE_RESULT.N)));
            }
        });
        List<Long> multiSeedRuns = entries.values().stream().filter(e -> e.runs.size() > 1)
                .flatMap(e -> e.runs.keySet().stream()).toList();
        Map<Long, Map<String, SeedAggregates.Cases>> cases = SeedAggregates.caseValues(sql, taskId, multiSeedRuns);
        List<BoardRow> rows = new ArrayList<>();
        for (Scored e : entries.values()) {
            Record r = e.first;
            Map<String, AggregateScore> metrics = e.runs.size() == 1 ? e.runs.get(e.latestRun)
                    : SeedAggregates.combine(e.runs, e.latestRun, cases);
            Long params = e.latestParameters != null ? e.latestParameters : r.get(spentParameters);
            rows.add(new BoardRow(r.get(ENTRY.ID), r.get(ENTRY.TEAM), r.get(ENTRY.NAME),
                    DbEnum.parse(Family.class, r.get(ENTRY.FAMILY)), r.get(ENTRY.BASELINE), e.latestRun, params,
                    r.get(spentDevice) / 3600, r.get(spentGpu) / 3600, metrics, e.seeds));
        }
        return rows;
    }

    /** An entry's rows as read: its seeds' runs (ascending ids) and their stored aggregates. */
    private static final class Scored {
        final Record first;
        final Map<Long, Map<String, AggregateScore>> runs = new LinkedHashMap<>();
        final List<BoardRow.SeedRun> seeds = new ArrayList<>();
        long latestRun = Long.MIN_VALUE;
        Long latestParameters;

        Scored(Record first) {
            this.first = first;
        }
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
                                .where(RUN.HIDDEN.isTrue()).asField("hidden_run_sum"),
                        select(max(SUBMISSION.UPDATED_AT)).from(SUBMISSION).asField("last_submission_change"))
                .fetchOne());
        return new ChangeStamp(r.get(0, Long.class), r.get(1, Long.class), r.get(2, OffsetDateTime.class),
                r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class), r.get(6, Long.class),
                r.get(7, Long.class), r.get(8, OffsetDateTime.class));
    }
}
