package org.brainfm.records;

/** The kinds of downstream task (FOMO25's three). */
public enum TaskKind implements DbEnum {
    CLASSIFICATION,
    SEGMENTATION,
    REGRESSION
}
