package org.brainfm.records;

import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.CASE_RESULT;
import static org.brainfm.records.db.Tables.DATASET;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.MODEL_CARD;
import static org.brainfm.records.db.Tables.RUN;
import static org.brainfm.records.db.Tables.SUBMISSION;
import static org.brainfm.records.db.Tables.TASK;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.brainfm.compute.Meter;
import org.brainfm.compute.Usage;
import org.brainfm.records.db.tables.records.EntryRecord;
import org.brainfm.records.db.tables.records.RunRecord;
import org.jooq.BatchBindStep;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.Record4;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * The records: datasets, tasks, model cards, runs with their compute, training curves,
 * per-case and aggregate results, submissions and entries, in one database (H2 file by
 * default, any JDBC URL that jOOQ has a dialect for otherwise). Everything brainfm shows is
 * read from here; the board is a query over entries, runs and aggregates.
 *
 * <p>Opening applies the Flyway migrations and marks as {@link RunStatus#INTERRUPTED} every
 * {@code running} run of this host whose process is gone. One instance holds one connection;
 * its methods are synchronized, so threads may share it.
 */
public final class Records implements AutoCloseable {
    /** Rows per JDBC batch when writing per-case results. */
    private static final int BATCH_ROWS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final Connection connection;
    private final DSLContext db;
    private final Owner owner = Owner.current();
    private final List<Long> interruptedOnOpen;

    private Records(Database database) {
        this.database = database;
        this.connection = database.openAndMigrate();
        SQLDialect dialect = JDBCUtils.dialect(database.url());
        // Unquoted names: each database folds them its own way (H2 up, PostgreSQL down).
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withExecuteLogging(false);
        this.db = DSL.using(connection, dialect, settings);
        try {
            this.interruptedOnOpen = markDeadRunsInterrupted();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens (creating an H2 file if there is none) and migrates the records at a JDBC URL. */
    public static Records open(String url) {
        return new Records(Database.at(url));
    }

    /**
     * The URL to use: {@code --db} when given, else the {@code BRAINFM_DB} environment
     * variable, else the H2 file {@code .brainfm/brainfm} under {@code workDir}.
     */
    public static String resolveUrl(String option, String environment, Path workDir) {
        return Database.resolveUrl(option, environment, workDir);
    }

    /** False only when the URL names an H2 file that does not exist yet. */
    public static boolean exists(String url) {
        return !Database.at(url).missingFile();
    }

    /** How messages name the database at a URL: its H2 file, or the URL without its options. */
    public static String location(String url) {
        return Database.at(url).name();
    }

    /** The database as errors and messages name it: the H2 file, or the URL without its options. */
    public String location() {
        return database.name();
    }

    /** Runs this open found abandoned by their process and marked interrupted. */
    public List<Long> interruptedOnOpen() {
        return interruptedOnOpen;
    }

    // ---- catalog: datasets, tasks, model cards -------------------------------------------

    public synchronized void putDataset(DatasetDef dataset) {
        db.insertInto(DATASET)
                .set(DATASET.ID, dataset.id())
                .set(DATASET.SOURCE, dataset.source())
                .set(DATASET.DESCRIPTION, dataset.description())
                .set(DATASET.DEFINITION, dataset.definition().toString())
                .set(DATASET.REGISTERED_AT, now())
                .onDuplicateKeyUpdate()
                .set(DATASET.SOURCE, dataset.source())
                .set(DATASET.DESCRIPTION, dataset.description())
                .set(DATASET.DEFINITION, dataset.definition().toString())
                .execute();
    }

    public synchronized void putTask(TaskDef task) {
        db.insertInto(TASK)
                .set(TASK.ID, task.id())
                .set(TASK.DATASET_ID, task.datasetId())
                .set(TASK.KIND, task.kind().id())
                .set(TASK.DESCRIPTION, task.description())
                .set(TASK.DEFINITION, task.definition().toString())
                .set(TASK.REGISTERED_AT, now())
                .onDuplicateKeyUpdate()
                .set(TASK.DATASET_ID, task.datasetId())
                .set(TASK.KIND, task.kind().id())
                .set(TASK.DESCRIPTION, task.description())
                .set(TASK.DEFINITION, task.definition().toString())
                .execute();
    }

    public synchronized void putCard(CardDef card) {
        db.insertInto(MODEL_CARD)
                .set(MODEL_CARD.ID, card.id())
                .set(MODEL_CARD.FAMILY, card.family().id())
                .set(MODEL_CARD.ARCHITECTURE, card.architecture())
                .set(MODEL_CARD.OBJECTIVE, card.objective())
                .set(MODEL_CARD.DEFINITION, card.definition().toString())
                .set(MODEL_CARD.REGISTERED_AT, now())
                .onDuplicateKeyUpdate()
                .set(MODEL_CARD.FAMILY, card.family().id())
                .set(MODEL_CARD.ARCHITECTURE, card.architecture())
                .set(MODEL_CARD.OBJECTIVE, card.objective())
                .set(MODEL_CARD.DEFINITION, card.definition().toString())
                .execute();
    }

    public synchronized List<String> taskIds() {
        return db.select(TASK.ID).from(TASK).orderBy(TASK.ID).fetch(TASK.ID);
    }

    public synchronized List<DatasetDef> datasets() {
        return db.selectFrom(DATASET).orderBy(DATASET.ID).fetch(r -> new DatasetDef(r.getId(), r.getSource(),
                r.getDescription(), json("dataset " + r.getId(), r.getDefinition())));
    }

    public synchronized List<TaskDef> tasks() {
        return db.selectFrom(TASK).orderBy(TASK.ID).fetch(r -> new TaskDef(r.getId(), r.getDatasetId(),
                DbEnum.parse(TaskKind.class, r.getKind()), r.getDescription(), json("task " + r.getId(), r.getDefinition())));
    }

    public synchronized Optional<CardDef> card(String cardId) {
        return db.selectFrom(MODEL_CARD).where(MODEL_CARD.ID.eq(cardId)).fetchOptional()
                .map(r -> new CardDef(r.getId(), DbEnum.parse(Family.class, r.getFamily()), r.getArchitecture(),
                        r.getObjective(), json("model card " + r.getId(), r.getDefinition())));
    }

    // ---- submissions and entries ---------------------------------------------------------

    public synchronized long addSubmission(String team, String source) {
        return db.insertInto(SUBMISSION)
                .set(SUBMISSION.TEAM, Check.name("team", team, 200))
                .set(SUBMISSION.SOURCE, Check.name("submission source", source, 2000))
                .set(SUBMISSION.RECEIVED_AT, now())
                .set(SUBMISSION.STATUS, EntryStatus.RECEIVED.id())
                .returning(SUBMISSION.ID)
                .fetchOne(SUBMISSION.ID);
    }

    public synchronized void setSubmissionStatus(long submissionId, EntryStatus status, String error) {
        requireUpdated(db.update(SUBMISSION)
                .set(SUBMISSION.STATUS, status.id())
                .set(SUBMISSION.ERROR, error)
                .where(SUBMISSION.ID.eq(submissionId))
                .execute(), "submission", submissionId);
    }

    /** Adds an entry (status {@code received}, shown) and returns its id; team and name are unique together. */
    public synchronized long addEntry(EntryDef entry) {
        return db.insertInto(ENTRY)
                .set(ENTRY.TEAM, entry.team())
                .set(ENTRY.NAME, entry.name())
                .set(ENTRY.FAMILY, entry.family().id())
                .set(ENTRY.SUBMISSION_ID, entry.submissionId())
                .set(ENTRY.CARD_ID, entry.cardId())
                .set(ENTRY.BASELINE, entry.baseline())
                .set(ENTRY.HIDDEN, false)
                .set(ENTRY.STATUS, EntryStatus.RECEIVED.id())
                .set(ENTRY.CREATED_AT, now())
                .returning(ENTRY.ID)
                .fetchOne(ENTRY.ID);
    }

    /** Every entry, hidden ones included, by id. */
    public synchronized List<EntryInfo> entries() {
        return db.selectFrom(ENTRY).orderBy(ENTRY.ID).fetch(Records::entryInfo);
    }

    public synchronized Optional<EntryInfo> entry(long entryId) {
        return db.selectFrom(ENTRY).where(ENTRY.ID.eq(entryId)).fetchOptional().map(Records::entryInfo);
    }

    public synchronized Optional<Long> entryId(String team, String name) {
        return db.select(ENTRY.ID).from(ENTRY).where(ENTRY.TEAM.eq(team), ENTRY.NAME.eq(name)).fetchOptional(ENTRY.ID);
    }

    public synchronized void setEntryStatus(long entryId, EntryStatus status, String error) {
        requireUpdated(db.update(ENTRY)
                .set(ENTRY.STATUS, status.id())
                .set(ENTRY.ERROR, error)
                .where(ENTRY.ID.eq(entryId))
                .execute(), "entry", entryId);
    }

    /** Hides an entry from the board, or shows it again (an organiser's decision; its runs stay). */
    public synchronized void setHidden(long entryId, boolean hidden) {
        requireUpdated(db.update(ENTRY).set(ENTRY.HIDDEN, hidden).where(ENTRY.ID.eq(entryId)).execute(),
                "entry", entryId);
    }

    // ---- runs ----------------------------------------------------------------------------

    /**
     * Hides a run from the boards and every public listing, or shows it again (an organiser's
     * decision; the run and its results stay). A hidden scoring run gives its place on the board
     * to the entry's previous shown scoring run on that task.
     */
    public synchronized void setRunHidden(long runId, boolean hidden) {
        requireUpdated(db.update(RUN).set(RUN.HIDDEN, hidden).where(RUN.ID.eq(runId)).execute(), "run", runId);
    }

    /**
     * Starts a run on {@code devices}: stores it as {@code running}, owned by this process,
     * and starts measuring its compute. Close the returned run when done with it.
     */
    public synchronized ActiveRun startRun(RunSpec spec, Hardware devices) {
        requireExists(spec.cardId(), MODEL_CARD, MODEL_CARD.ID.eq(spec.cardId()), "model card");
        requireExists(spec.taskId(), TASK, TASK.ID.eq(spec.taskId()), "task");
        requireExists(spec.entryId(), ENTRY, ENTRY.ID.eq(spec.entryId()), "entry");
        requireExists(spec.initRunId(), RUN, RUN.ID.eq(spec.initRunId()), "run");
        Meter meter = Meter.start(devices);
        long id = db.insertInto(RUN)
                .set(RUN.KIND, spec.kind().id())
                .set(RUN.CARD_ID, spec.cardId())
                .set(RUN.ENTRY_ID, spec.entryId())
                .set(RUN.OBJECTIVE, spec.objective())
                .set(RUN.TASK_ID, spec.taskId())
                .set(RUN.SEED, spec.seed())
                .set(RUN.INIT_RUN_ID, spec.initRunId())
                .set(RUN.STATUS, RunStatus.RUNNING.id())
                .set(RUN.STARTED_AT, now())
                .set(RUN.HOST, owner.host())
                .set(RUN.OWNER_PID, owner.pid())
                .set(RUN.OWNER_START_MS, owner.startMillis())
                .set(RUN.DEVICE_TYPE, devices.type().id())
                .set(RUN.DEVICE_NAME, devices.name())
                .set(RUN.DEVICE_COUNT, devices.count())
                .set(RUN.GIT_COMMIT, GitCommit.current())
                .set(RUN.CONFIG, spec.config().toString())
                .returning(RUN.ID)
                .fetchOne(RUN.ID);
        return new ActiveRun(this, id, meter);
    }

    synchronized void logEpoch(long runId, EpochEntry entry, Usage usageSoFar) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            requireRunning(t, runId);
            t.insertInto(EPOCH_LOG)
                    .set(EPOCH_LOG.RUN_ID, runId)
                    .set(EPOCH_LOG.EPOCH, entry.epoch())
                    .set(EPOCH_LOG.STEP, entry.step())
                    .set(EPOCH_LOG.LOSS, entry.loss())
                    .set(EPOCH_LOG.LEARNING_RATE, entry.learningRate())
                    .set(EPOCH_LOG.VALIDATION_LOSS, entry.validationLoss())
                    .set(EPOCH_LOG.LOGGED_AT, now())
                    .execute();
            setUsage(t, runId, usageSoFar);
        });
    }

    /** One result set (a run's per-case results and aggregates on one task) in one transaction. */
    synchronized void writeResults(long runId, String taskId, List<CaseScore> cases, List<AggregateScore> aggregates,
            Usage usageSoFar) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            requireRunning(t, runId);
            for (int from = 0; from < cases.size(); from += BATCH_ROWS) {
                BatchBindStep batch = t.batch(t.insertInto(CASE_RESULT, CASE_RESULT.RUN_ID, CASE_RESULT.TASK_ID,
                                CASE_RESULT.CASE_ID, CASE_RESULT.METRIC, CASE_RESULT.SCORE, CASE_RESULT.FLAG)
                        .values((Long) null, null, null, null, null, null));
                for (CaseScore c : cases.subList(from, Math.min(cases.size(), from + BATCH_ROWS))) {
                    batch.bind(runId, taskId, c.caseId(), c.metric(), c.score(), c.flag() == null ? null : c.flag().id());
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
            setUsage(t, runId, usageSoFar);
        });
    }

    /** Ends a running run as done or failed, with its final usage. */
    synchronized void endRun(long runId, RunStatus status, Usage usage, Long parameters, String error) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            requireRunning(t, runId);
            setUsage(t, runId, usage);
            t.update(RUN)
                    .set(RUN.STATUS, status.id())
                    .set(RUN.ENDED_AT, now())
                    .set(RUN.PARAMETERS, parameters)
                    .set(RUN.ERROR, error == null ? null : truncate(error, 10_000))
                    .where(RUN.ID.eq(runId))
                    .execute();
        });
    }

    public synchronized List<RunInfo> runs() {
        return db.selectFrom(RUN).orderBy(RUN.ID).fetch(Records::runInfo);
    }

    public synchronized Optional<RunInfo> run(long runId) {
        return db.selectFrom(RUN).where(RUN.ID.eq(runId)).fetchOptional().map(Records::runInfo);
    }

    public synchronized List<EpochEntry> epochs(long runId) {
        return db.selectFrom(EPOCH_LOG).where(EPOCH_LOG.RUN_ID.eq(runId))
                .orderBy(EPOCH_LOG.EPOCH, EPOCH_LOG.STEP)
                .fetch(r -> new EpochEntry(r.getEpoch(), r.getStep(), r.getLoss(), r.getLearningRate(),
                        r.getValidationLoss()));
    }

    public synchronized List<CaseScore> caseScores(long runId, String taskId) {
        return db.selectFrom(CASE_RESULT)
                .where(CASE_RESULT.RUN_ID.eq(runId), CASE_RESULT.TASK_ID.eq(taskId))
                .orderBy(CASE_RESULT.CASE_ID, CASE_RESULT.METRIC)
                .fetch(r -> new CaseScore(r.getCaseId(), r.getMetric(), r.getScore(), flag(r.getFlag())));
    }

    public synchronized List<AggregateScore> aggregates(long runId, String taskId) {
        return db.selectFrom(AGGREGATE_RESULT)
                .where(AGGREGATE_RESULT.RUN_ID.eq(runId), AGGREGATE_RESULT.TASK_ID.eq(taskId))
                .orderBy(AGGREGATE_RESULT.METRIC)
                .fetch(r -> new AggregateScore(r.getMetric(), r.getScore(), r.getCiLow(), r.getCiHigh(), r.getN()));
    }

    /**
     * Streams every aggregate, then every per-case result (of one task, or of all when
     * {@code taskId} is null), each with the run, card and entry it belongs to.
     */
    public synchronized void exportResults(String taskId, Consumer<ResultRow> sink) {
        Condition aggregateTask = taskId == null ? DSL.noCondition() : AGGREGATE_RESULT.TASK_ID.eq(taskId);
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
                        r.get(AGGREGATE_RESULT.CI_LOW), r.get(AGGREGATE_RESULT.CI_HIGH), r.get(AGGREGATE_RESULT.N), null));
            }
        }
        Condition caseTask = taskId == null ? DSL.noCondition() : CASE_RESULT.TASK_ID.eq(taskId);
        try (Cursor<? extends Record> rows = db.select(RUN.ID, RUN.KIND, RUN.CARD_ID, ENTRY.TEAM, ENTRY.NAME,
                        CASE_RESULT.TASK_ID, CASE_RESULT.CASE_ID, CASE_RESULT.METRIC, CASE_RESULT.SCORE, CASE_RESULT.FLAG)
                .from(CASE_RESULT)
                .join(RUN).on(RUN.ID.eq(CASE_RESULT.RUN_ID))
                .leftJoin(ENTRY).on(ENTRY.ID.eq(RUN.ENTRY_ID))
                .where(caseTask)
                .orderBy(CASE_RESULT.TASK_ID, RUN.ID, CASE_RESULT.CASE_ID, CASE_RESULT.METRIC)
                .fetchLazy()) {
            for (Record r : rows) {
                sink.accept(new ResultRow(ResultRow.CASE, r.get(RUN.ID), kind(r.get(RUN.KIND)), r.get(RUN.CARD_ID),
                        r.get(ENTRY.TEAM), r.get(ENTRY.NAME), r.get(CASE_RESULT.TASK_ID), r.get(CASE_RESULT.CASE_ID),
                        r.get(CASE_RESULT.METRIC), r.get(CASE_RESULT.SCORE), null, null, null,
                        flag(r.get(CASE_RESULT.FLAG))));
            }
        }
    }

    // ---- the board -----------------------------------------------------------------------

    /**
     * The board of one task, one row per shown entry that has a finished, shown scoring run on
     * it (the latest such run counts), ordered by entry id; ranking is the caller's. Compute
     * sums the scoring run and every run it started from, following {@code init_run_id}
     * (finetuning, then pretraining), hidden or not: the whole measured cost of the model.
     */
    public synchronized List<BoardRow> board(String taskId) {
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
        db.withRecursive(latest, lineage, spent)
                .select(ENTRY.ID, ENTRY.TEAM, ENTRY.NAME, ENTRY.FAMILY, ENTRY.BASELINE, RUN.ID, parameters,
                        spentDevice, spentGpu, AGGREGATE_RESULT.METRIC, AGGREGATE_RESULT.SCORE,
                        AGGREGATE_RESULT.CI_LOW, AGGREGATE_RESULT.CI_HIGH, AGGREGATE_RESULT.N)
                .from(spent)
                .join(RUN).on(RUN.ID.eq(spentRoot))
                .join(ENTRY).on(ENTRY.ID.eq(RUN.ENTRY_ID))
                .leftJoin(AGGREGATE_RESULT).on(AGGREGATE_RESULT.RUN_ID.eq(RUN.ID), AGGREGATE_RESULT.TASK_ID.eq(taskId))
                .where(ENTRY.HIDDEN.isFalse())
                .orderBy(ENTRY.ID, AGGREGATE_RESULT.METRIC)
                .fetch()
                .forEach(r -> {
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
    public synchronized ChangeStamp changeStamp() {
        Record r = db.select(
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
                .fetchOne();
        return new ChangeStamp(r.get(0, Long.class), r.get(1, Long.class), r.get(2, OffsetDateTime.class),
                r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class), r.get(6, Long.class),
                r.get(7, Long.class));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new BrainfmException(database.name(), "could not be closed cleanly: "
                    + Database.firstLine(e.getMessage()), e);
        }
    }

    // ---- internals -----------------------------------------------------------------------

    /** Marks {@code running} runs whose owning process is gone (same host) as interrupted. */
    private List<Long> markDeadRunsInterrupted() {
        List<Long> marked = new ArrayList<>();
        for (RunRecord r : db.selectFrom(RUN).where(RUN.STATUS.eq(RunStatus.RUNNING.id())).fetch()) {
            if (owner.mayStillRun(r.getHost(), r.getOwnerPid(), r.getOwnerStartMs())) {
                continue;
            }
            int updated = db.update(RUN)
                    .set(RUN.STATUS, RunStatus.INTERRUPTED.id())
                    .set(RUN.ERROR, "interrupted: its process (pid " + r.getOwnerPid() + " on " + r.getHost()
                            + ") ended without finishing it; found at " + now())
                    .where(RUN.ID.eq(r.getId()), RUN.STATUS.eq(RunStatus.RUNNING.id()))
                    .execute();
            if (updated == 1) {
                marked.add(r.getId());
            }
        }
        return List.copyOf(marked);
    }

    private static void setUsage(DSLContext t, long runId, Usage usage) {
        t.update(RUN)
                .set(RUN.WALL_SECONDS, usage.wallSeconds())
                .set(RUN.DEVICE_SECONDS, usage.deviceSeconds())
                .set(RUN.GPU_SECONDS, usage.gpuSeconds())
                .set(RUN.CPU_SECONDS, usage.cpuSeconds())
                .set(RUN.PEAK_MEMORY_BYTES, usage.peakMemoryBytes())
                .where(RUN.ID.eq(runId))
                .execute();
    }

    private static void requireRunning(DSLContext t, long runId) {
        String status = t.select(RUN.STATUS).from(RUN).where(RUN.ID.eq(runId)).fetchOne(RUN.STATUS);
        if (!RunStatus.RUNNING.id().equals(status)) {
            throw new IllegalStateException("run " + runId + " is " + (status == null ? "not recorded" : status)
                    + ", not running: nothing more can be written to it");
        }
    }

    private void requireExists(Object key, Table<?> table, Condition condition, String what) {
        if (key != null && !db.fetchExists(table, condition)) {
            throw new IllegalArgumentException("no " + what + " '" + key + "' in the records " + database.name());
        }
    }

    private static void requireUpdated(int rows, String what, long id) {
        if (rows != 1) {
            throw new IllegalArgumentException("no " + what + " " + id + " in the records");
        }
    }

    private static RunInfo runInfo(RunRecord r) {
        return new RunInfo(r.getId(), kind(r.getKind()), r.getCardId(), r.getEntryId(), r.getObjective(),
                r.getTaskId(), r.getSeed(), r.getInitRunId(), DbEnum.parse(RunStatus.class, r.getStatus()),
                r.getStartedAt(), r.getEndedAt(), r.getHost(), r.getDeviceType(), r.getDeviceName(),
                r.getDeviceCount(), r.getWallSeconds(), r.getDeviceSeconds(), r.getGpuSeconds(), r.getCpuSeconds(),
                r.getPeakMemoryBytes(), r.getParameters(), r.getGitCommit(), r.getConfig(), r.getError(),
                r.getHidden());
    }

    private static EntryInfo entryInfo(EntryRecord r) {
        return new EntryInfo(r.getId(), r.getTeam(), r.getName(), DbEnum.parse(Family.class, r.getFamily()),
                r.getSubmissionId(), r.getCardId(), r.getBaseline(), r.getHidden(),
                DbEnum.parse(EntryStatus.class, r.getStatus()), r.getError(), r.getCreatedAt());
    }

    private static JsonNode json(String what, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + ": stored definition is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static RunKind kind(String id) {
        return DbEnum.parse(RunKind.class, id);
    }

    private static Flag flag(String id) {
        return id == null ? null : DbEnum.parse(Flag.class, id);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
