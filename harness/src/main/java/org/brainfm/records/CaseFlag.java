package org.brainfm.records;

/** Why a case scored the worst value: no prediction for it, or one that could not be used. */
public enum CaseFlag implements DbEnum {
    MISSING,
    INVALID
}
