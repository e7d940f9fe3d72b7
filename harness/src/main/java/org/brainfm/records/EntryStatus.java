package org.brainfm.records;

/** Where a submission or entry stands: received, checked (valid or invalid), scored, or failed while scoring. */
public enum EntryStatus implements DbEnum {
    RECEIVED,
    VALID,
    INVALID,
    SCORED,
    FAILED
}
