package org.brainfm.records;

/**
 * A row of the board to be: a team's named model, of a family; from a submission, or one of
 * our baselines (then {@code cardId} names its card and {@code submissionId} is null).
 */
public record NewEntry(String team, String name, Family family, Long submissionId, String cardId, boolean baseline) {
    public NewEntry {
        Check.name("team", team, 200);
        Check.name("entry name", name, 200);
        Check.notNull("entry family", family);
    }

    public static NewEntry baseline(String team, String name, Family family, String cardId) {
        return new NewEntry(team, name, family, null, Check.name("card id", cardId, 100), true);
    }

    public static NewEntry submitted(String team, String name, Family family, long submissionId) {
        return new NewEntry(team, name, family, submissionId, null, false);
    }
}
