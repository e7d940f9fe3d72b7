package org.brainfm.grid;

/**
 * Where a grid job stands in the records: its state, the run that tells (the latest; null when
 * none), how many runs it took so far, and the reason when it is not done (a failure's message, an
 * interruption's).
 */
public record JobStatus(GridJob job, State state, Long runId, int runs, String reason) {
    /** A job's state; only {@code DONE} and {@code RUNNING} jobs are left out when a grid is planned again. */
    public enum State {
        NOT_STARTED,
        RUNNING,
        INTERRUPTED,
        FAILED,
        DONE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
