package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.Sql.requireUpdated;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.MODEL_CARD;
import static org.brainfm.records.db.Tables.RUN;
import static org.brainfm.records.db.Tables.TASK;

import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.noCondition;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.brainfm.compute.Hardware;
import org.brainfm.compute.Meter;
import org.brainfm.compute.Usage;
import org.brainfm.records.db.tables.records.RunRecord;
import org.jooq.DSLContext;

/**
 * Pretraining, finetuning and scoring runs: started as {@code running} by this process, their
 * curves and compute written as they go, ended as done or failed, or found interrupted when
 * their process is gone.
 *
 * <p>A running run has a heartbeat ({@code run.heartbeat_at}, the database's clock): set at
 * every write, and every tenth of the {@link Lease} by a daemon thread while this process has
 * runs going. Opening the records marks as interrupted a running run of this host whose process
 * is gone (the process table tells at once), and a running run of any host whose heartbeat is
 * older than the lease (for the hosts whose process table nobody here can read).
 */
public final class Runs {
    private final Sql sql;
    private final Owner owner;
    private final Lease lease;
    /** Where started runs write their result sets. */
    private final Results results;
    /** Runs started here and not ended: the heartbeat thread keeps them alive. */
    private final Set<Long> active = ConcurrentHashMap.newKeySet();
    /** Started with the first run, stopped by {@link #stopHeartbeat}; guarded by {@code this}. */
    private ScheduledExecutorService heartbeat;
    private boolean stopped;

    Runs(Sql sql, Results results, Owner owner, Lease lease) {
        this.sql = sql;
        this.results = results;
        this.owner = owner;
        this.lease = lease;
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
                .set(RUN.HEARTBEAT_AT, currentOffsetDateTime())
                .set(RUN.DEVICE_TYPE, devices.type().id())
                .set(RUN.DEVICE_NAME, devices.name())
                .set(RUN.DEVICE_COUNT, devices.count())
                .set(RUN.GIT_COMMIT, GitCommit.current())
                .set(RUN.CONFIG, spec.config().toString())
                .set(RUN.PHASE_ID, spec.phaseId())
                .set(RUN.SUBMISSION_ID, spec.submissionId())
                .returning(RUN.ID)
                .fetchOne(RUN.ID));
        active.add(id);
        startHeartbeat();
        return new ActiveRun(this, results, id, meter);
    }

    public List<RunRow> all() {
        return sql.call(db -> db.selectFrom(RUN).orderBy(RUN.ID).fetch(Runs::row));
    }

    /** The score runs of a submission, oldest first. */
    public List<RunRow> ofSubmission(long submissionId) {
        return sql.call(db -> db.selectFrom(RUN).where(RUN.SUBMISSION_ID.eq(submissionId)).orderBy(RUN.ID).fetch(Runs::row));
    }

    public Optional<RunRow> get(long runId) {
        return sql.call(db -> db.selectFrom(RUN).where(RUN.ID.eq(runId)).fetchOptional()).map(Runs::row);
    }

    /** A run's last heartbeat (the database's clock); empty for an unknown run or one written before schema 5. */
    public Optional<OffsetDateTime> heartbeat(long runId) {
        return sql.call(db -> db.select(RUN.HEARTBEAT_AT).from(RUN).where(RUN.ID.eq(runId)).fetchOptional(RUN.HEARTBEAT_AT));
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
        try {
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
        } finally {
            // ended, or not running any more (another process marked it): no more heartbeats either way
            active.remove(runId);
        }
    }

    /**
     * Marks as interrupted the {@code running} runs whose process is gone: of this host, by the
     * process table; of any host, by a heartbeat older than the lease. Returns their ids.
     */
    List<Long> markDeadRunsInterrupted() {
        OffsetDateTime databaseNow = sql.databaseNow();
        OffsetDateTime expired = databaseNow.minus(lease.length());
        List<Long> marked = new ArrayList<>();
        for (RunRecord r : sql.call(db -> db.selectFrom(RUN).where(RUN.STATUS.eq(RunStatus.RUNNING.id())).fetch())) {
            String process = "its process (pid " + r.getOwnerPid() + " on " + r.getHost() + ")";
            int updated;
            if (owner.sameHost(r.getHost())) {
                if (owner.mayStillRun(r.getHost(), r.getOwnerPid(), r.getOwnerStartMs())) {
                    continue;
                }
                updated = markInterrupted(r.getId(), process + " ended without finishing it", null);
            } else if (r.getHeartbeatAt() != null && r.getHeartbeatAt().isBefore(expired)) {
                // the heartbeat is checked again in the update: it may have beaten since the read
                updated = markInterrupted(r.getId(), "no heartbeat from " + process + " since "
                        + r.getHeartbeatAt() + ", longer than the lease of " + lease.length().toSeconds() + " s", expired);
            } else {
                continue; // another host's live run, or one of a brainfm before schema 5: no heartbeat to judge
            }
            if (updated == 1) {
                marked.add(r.getId());
            }
        }
        return List.copyOf(marked);
    }

    private int markInterrupted(long runId, String why, OffsetDateTime heartbeatBefore) {
        return sql.call(db -> db.update(RUN)
                .set(RUN.STATUS, RunStatus.INTERRUPTED.id())
                .set(RUN.ERROR, "interrupted: " + why + "; found at " + now())
                .where(RUN.ID.eq(runId), RUN.STATUS.eq(RunStatus.RUNNING.id()),
                        heartbeatBefore == null ? noCondition() : RUN.HEARTBEAT_AT.lt(heartbeatBefore))
                .execute());
    }

    /** Refreshes the heartbeat of every run this process has going. */
    void beat() {
        List<Long> ids = List.copyOf(active);
        if (!ids.isEmpty()) {
            sql.call(db -> db.update(RUN).set(RUN.HEARTBEAT_AT, currentOffsetDateTime())
                    .where(RUN.ID.in(ids), RUN.STATUS.eq(RunStatus.RUNNING.id()))
                    .execute());
        }
    }

    private synchronized void startHeartbeat() {
        if (heartbeat != null || stopped) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "brainfm-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, lease.heartbeat().toMillis());
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                beat();
            } catch (RuntimeException e) {
                // the database is out of reach: the next beat or write tries again, and if none
                // gets through within the lease, the run is rightly taken as lost
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the heartbeat thread (closing the records): runs still going here will expire after the lease. */
    synchronized void stopHeartbeat() {
        stopped = true;
        if (heartbeat != null) {
            heartbeat.shutdown();
            try {
                if (!heartbeat.awaitTermination(10, TimeUnit.SECONDS)) {
                    heartbeat.shutdownNow();
                }
            } catch (InterruptedException e) {
                heartbeat.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every write of a run stores its compute so far (a run killed halfway still shows what it cost) and beats its heartbeat. */
    static void setUsage(DSLContext t, long runId, Usage usage) {
        t.update(RUN)
                .set(RUN.HEARTBEAT_AT, currentOffsetDateTime())
                .set(RUN.WALL_SECONDS, usage.wallSeconds())
                .set(RUN.DEVICE_SECONDS, usage.deviceSeconds())
                .set(RUN.GPU_SECONDS, usage.gpuSeconds())
                .set(RUN.CPU_SECONDS, usage.cpuSeconds())
                .set(RUN.BUSY_SECONDS, usage.busySeconds())
                .set(RUN.TEST_SECONDS, usage.testSeconds())
                .set(RUN.PEAK_MEMORY_BYTES, usage.peakMemoryBytes())
                .where(RUN.ID.eq(runId))
                .execute();
    }

    /** Fails unless the run is running; locks its row to the end of the transaction (no one marks it meanwhile). */
    static void requireRunning(DSLContext t, long runId) {
        String status = t.select(RUN.STATUS).from(RUN).where(RUN.ID.eq(runId)).forUpdate().fetchOne(RUN.STATUS);
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
                r.getConfig(), r.getError(), r.getHidden(), r.getPhaseId(), r.getSubmissionId(), r.getBusySeconds(),
                r.getTestSeconds());
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
