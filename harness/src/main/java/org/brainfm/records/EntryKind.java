package org.brainfm.records;

/** What a submitted entry holds: ONNX models to run, predictions to score, or encoder weights to finetune. */
public enum EntryKind implements DbEnum {
    MODEL,
    PREDICTIONS,
    ENCODER
}
