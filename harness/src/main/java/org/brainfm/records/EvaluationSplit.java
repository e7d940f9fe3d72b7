package org.brainfm.records;

/**
 * The cases a phase scores on (docs/challenge.md): {@code sanity}, a few of the task's public
 * finetuning cases, to show an entry runs end to end; {@code validation}, the first quarter of
 * the hidden test cases; {@code test}, the rest of them. The general board scores on all test cases.
 */
public enum EvaluationSplit implements DbEnum {
    SANITY,
    VALIDATION,
    TEST;

    public static EvaluationSplit of(String id) {
        return DbEnum.named(EvaluationSplit.class, id, "split");
    }
}
