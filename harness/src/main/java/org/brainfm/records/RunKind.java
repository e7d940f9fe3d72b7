package org.brainfm.records;

/** What a run does: pretrain a model, finetune it on a task, or score an entry on a task. */
public enum RunKind implements DbEnum {
    PRETRAIN,
    FINETUNE,
    SCORE
}
