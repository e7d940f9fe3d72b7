package org.brainfm.records;

/** Which of a team's scored submissions a phase's board shows, unless the organiser chose one. */
public enum BoardRule implements DbEnum {
    /** The best on the task's first metric. */
    BEST,
    /** The latest scored. */
    LATEST;

    public static BoardRule of(String id) {
        return DbEnum.named(BoardRule.class, id, "board rule");
    }
}
