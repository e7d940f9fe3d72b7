package org.brainfm.records;

/**
 * Where a run stands. {@code INTERRUPTED}: its process died without saying so (killed, power
 * lost), and brainfm marks it so the next time it opens the records and finds that process gone;
 * or it stopped on a signal (a preempted grid job) after writing a checkpoint that a later run resumes.
 */
public enum RunStatus implements DbEnum {
    RUNNING,
    DONE,
    FAILED,
    INTERRUPTED
}
