package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.Sql.requireUpdated;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.MODEL_CARD;
import static org.brainfm.records.db.Tables.RUN;
import static org.brainfm.records.db.Tables.TASK;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.brainfm.compute.Hardware;
import org.brainfm.compute.Meter;
import org.brainfm.compute.Usage;
import org.brainfm.records.db.tables.records.RunRecord;
import org.jooq.DSLContext;

/**
 * Pretraining, finetuning and scoring runs: started as {@code running} by this process, their
 * curves and compute written as they go, ended as done or failed, or found interrupted when
 * their process is gone.
 */
public final class Runs {
    private final Sql sql;
    private final Owner owner = Owner.current();
    /** Where started runs write their result sets. */
    private final Results results;

    Runs(Sql sql, Results results) {
        this.sql = sql;
        this.results = results;
    }

    /**
     * Starts a run on {@code devices}: stores it as {@code running}, owned by this process,
     * and starts measuring its compute. Close the returned run when done with it.
     */
    public ActiveRun start(NewRun spec, Hardware devices) {
        sql.requireExists(spec.cardId(), MODEL_CARD, MODEL_CARD.ID.eq(spec.cardId()), "model card");
        sql.requireExists(spec.taskId(), TASK, TASK.ID.eq(spec.taskId()), "task");
        sql.requireExists(spec.entryId(), ENTRY, ENTRY.ID.eq(spec.entryId()), "entry");
        sql.requireExists(spec.initRunId(), RUN, RUN.ID.eq(spec.initRunId()), "run");
        Meter meter = Meter.start(devices);
        long id = sql.call(db -> db.insertInto(RUN)
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
                .fetchOne(RUN.ID));
        return new ActiveRun(this, results, id, meter);
    }

    public List<RunRow> all() {
        return sql.call(db -> db.selectFrom(RUN).orderBy(RUN.ID).fetch(Runs::row));
    }

    public Optional<RunRow> get(long runId) {
        return sql.call(db -> db.selectFrom(RUN).where(RUN.ID.eq(runId)).fetchOptional()).map(Runs::row);
    }

    /** A run's training curve, in order. */
    public List<EpochRow> epochs(long runId) {
        return sql.call(db -> db.selectFrom(EPOCH_LOG).where(EPOCH_LOG.RUN_ID.eq(runId))
                .orderBy(EPOCH_LOG.EPOCH, EPOCH_LOG.STEP)
                .fetch(r -> new EpochRow(r.getEpoch(), r.getStep(), r.getLoss(), r.getLearningRate(),
                        r.getValidationLoss())));
    }

    /**
     * Hides a run from the boards and every public listing, or shows it again (an organiser's
     * decision; the run and its results stay). A hidden scoring run gives its place on the board
     * to the entry's previous shown scoring run on that task.
     */
    public void setHidden(long runId, boolean hidden) {
        requireUpdated(sql.call(db -> db.update(RUN).set(RUN.HIDDEN, hidden).where(RUN.ID.eq(runId)).execute()),
                "run", runId);
    }

    void logEpoch(long runId, EpochRow entry, Usage usageSoFar) {
        sql.transaction(t -> {
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

    /** Ends a running run as done or failed, with its final usage. */
    void end(long runId, RunStatus status, Usage usage, Long parameters, String error) {
        sql.transaction(t -> {
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

    /** Marks {@code running} runs whose owning process is gone (same host) as interrupted; returns their ids. */
    List<Long> markDeadRunsInterrupted() {
        List<Long> marked = new ArrayList<>();
        for (RunRecord r : sql.call(db -> db.selectFrom(RUN).where(RUN.STATUS.eq(RunStatus.RUNNING.id())).fetch())) {
            if (owner.mayStillRun(r.getHost(), r.getOwnerPid(), r.getOwnerStartMs())) {
                continue;
            }
            int updated = sql.call(db -> db.update(RUN)
                    .set(RUN.STATUS, RunStatus.INTERRUPTED.id())
                    .set(RUN.ERROR, "interrupted: its process (pid " + r.getOwnerPid() + " on " + r.getHost()
                            + ") ended without finishing it; found at " + now())
                    .where(RUN.ID.eq(r.getId()), RUN.STATUS.eq(RunStatus.RUNNING.id()))
                    .execute());
            if (updated == 1) {
                marked.add(r.getId());
            }
        }
        return List.copyOf(marked);
    }

    /** Every write of a run stores its compute so far: a run killed halfway still shows what it cost. */
    static void setUsage(DSLContext t, long runId, Usage usage) {
        t.update(RUN)
                .set(RUN.WALL_SECONDS, usage.wallSeconds())
                .set(RUN.DEVICE_SECONDS, usage.deviceSeconds())
                .set(RUN.GPU_SECONDS, usage.gpuSeconds())
                .set(RUN.CPU_SECONDS, usage.cpuSeconds())
                .set(RUN.PEAK_MEMORY_BYTES, usage.peakMemoryBytes())
                .where(RUN.ID.eq(runId))
                .execute();
    }

    static void requireRunning(DSLContext t, long runId) {
        String status = t.select(RUN.STATUS).from(RUN).where(RUN.ID.eq(runId)).fetchOne(RUN.STATUS);
        if (!RunStatus.RUNNING.id().equals(status)) {
            throw new IllegalStateException("run " + runId + " is " + (status == null ? "not recorded" : status)
                    + ", not running: nothing more can be written to it");
        }
    }

    private static RunRow row(RunRecord r) {
        return new RunRow(r.getId(), DbEnum.parse(RunKind.class, r.getKind()), r.getCardId(), r.getEntryId(),
                r.getObjective(), r.getTaskId(), r.getSeed(), r.getInitRunId(),
                DbEnum.parse(RunStatus.class, r.getStatus()), r.getStartedAt(), r.getEndedAt(), r.getHost(),
                r.getDeviceType(), r.getDeviceName(), r.getDeviceCount(), r.getWallSeconds(), r.getDeviceSeconds(),
                r.getGpuSeconds(), r.getCpuSeconds(), r.getPeakMemoryBytes(), r.getParameters(), r.getGitCommit(),
                r.getConfig(), r.getError(), r.getHidden());
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
