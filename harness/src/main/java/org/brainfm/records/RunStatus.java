package org.brainfm.records;

/**
 * Where a run stands. {@code INTERRUPTED}: its process died without saying so (killed, power
 * lost); brainfm marks it so the next time it opens the records and finds that process gone.
 */
public enum RunStatus implements DbEnum {
    RUNNING,
    DONE,
    FAILED,
    INTERRUPTED
}
