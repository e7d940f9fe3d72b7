package org.brainfm.records;

/**
 * One exported result, traceable to its run: an aggregate ({@code level} {@code aggregate},
 * with CI and n) or one case's metric ({@code level} {@code case}, with case id and flag).
 * {@code team} and {@code entry} are set for scored entries, {@code cardId} for our own models.
 */
public record ResultRow(String level, long runId, RunKind runKind, String cardId, String team, String entry,
        String taskId, String caseId, String metric, Double score, Double ciLow, Double ciHigh, Integer n,
        CaseFlag flag) {
    public static final String AGGREGATE = "aggregate";
    public static final String CASE = "case";
}
