package org.brainfm.records;

/**
 * One metric of one case. {@code score} null: undefined for this case (e.g. Dice with both
 * masks empty under a NaN convention), left out of aggregates; NaN is stored as null.
 * {@code flag} non-null: the case scored the worst value because of it.
 */
public record CaseScore(String caseId, String metric, Double score, CaseFlag flag) {
    public CaseScore {
        Check.name("case id", caseId, 200);
        Check.name("metric", metric, 50);
        score = Check.finiteOrNull(metric, score);
    }

    public static CaseScore of(String caseId, String metric, double score) {
        return new CaseScore(caseId, metric, score, null);
    }
}
