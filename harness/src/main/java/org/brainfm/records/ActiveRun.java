package org.brainfm.records;

import java.util.List;
import org.brainfm.compute.Meter;
import org.brainfm.compute.Usage;

/**
 * A run in progress, from {@link Runs#start}. Log its curve, write its result sets,
 * then {@link #finish} or {@link #fail} it; closing it without either records it as failed.
 * Every write also stores the compute used so far, so that a run killed halfway still shows
 * what it cost up to its last write.
 */
public final class ActiveRun implements AutoCloseable {
    private final Runs runs;
    private final Results results;
    private final long id;
    private final Meter meter;
    private boolean ended;

    ActiveRun(Runs runs, Results results, long id, Meter meter) {
        this.runs = runs;
        this.results = results;
        this.id = id;
        this.meter = meter;
    }

    public long id() {
        return id;
    }

    /** The run's compute meter; call {@link Meter#sample()} at each step of a GPU run to catch its peak memory. */
    public Meter meter() {
        return meter;
    }

    public void logEpoch(int epoch, long step, double loss, double learningRate) {
        logEpoch(new EpochRow(epoch, step, loss, learningRate, null));
    }

    public void logEpoch(EpochRow entry) {
        runs.logEpoch(id, entry, meter.stop());
    }

    /** Writes one result set: the per-case results and aggregates on one task, all or nothing. */
    public void writeResults(String taskId, List<CaseScore> cases, List<AggregateScore> aggregates) {
        Check.name("task id", taskId, 100);
        results.write(id, taskId, List.copyOf(cases), List.copyOf(aggregates), meter.stop());
    }

    /** Ends the run as done; {@code parameters} is the model's parameter count (null when none applies). */
    public Usage finish(Long parameters) {
        return end(RunStatus.DONE, parameters, null);
    }

    /** Ends the run as failed, with the reason. */
    public Usage fail(String error, Long parameters) {
        return end(RunStatus.FAILED, parameters, error == null || error.isBlank() ? "failed" : error);
    }

    /**
     * Ends the run as interrupted on purpose, with the reason: a preempted job that stopped at a
     * checkpoint; its job goes on in a new run that resumes from the checkpoint.
     */
    public Usage interrupt(String reason) {
        return end(RunStatus.INTERRUPTED, null, reason);
    }

    /** Records the run as failed unless it was finished or failed already. */
    @Override
    public void close() {
        if (!ended) {
            fail("ended without finish() (an exception in the caller?)", null);
        }
    }

    private Usage end(RunStatus status, Long parameters, String error) {
        if (ended) {
            throw new IllegalStateException("run " + id + " has ended already");
        }
        Usage usage = meter.stop();
        runs.end(id, status, usage, parameters, error);
        ended = true;
        return usage;
    }
}
