package org.brainfm.records;

/**
 * Where a submission stands: received, then checked ({@code valid} or {@code invalid}, with every
 * reason), then {@code scoring}, then {@code scored} or {@code failed} (with the reason).
 */
public enum SubmissionStatus implements DbEnum {
    RECEIVED,
    VALID,
    INVALID,
    SCORING,
    SCORED,
    FAILED
}
