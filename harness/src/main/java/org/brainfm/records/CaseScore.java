package org.brainfm.records;

/**
 * One metric of one case. {@code score} null: undefined for this case (e.g. Dice with both
 * masks empty under a NaN convention), left out of aggregates; NaN is stored as null.
 * {@code flag} non-null: the case scored the worst value because of it, and {@code reason} says
 * what was wrong with the prediction when that is known (a file name and the problem).
 * {@code truth}: the case's reference (0/1 label, true value) on a classification or regression
 * prediction's row, for paired tests between entries; null elsewhere.
 */
public record CaseScore(String caseId, String metric, Double score, CaseFlag flag, String reason, Double truth) {
    /** The row of a classification case: its predicted probability of class 1, beside its 0/1 label. */
    public static final String PROBABILITY = "probability";
    /** The row of a regression case: its predicted value, beside the true value. */
    public static final String PREDICTION = "prediction";

    public CaseScore {
        Check.name("case id", caseId, 200);
        Check.name("metric", metric, 50);
        score = Check.finiteOrNull(metric, score);
        truth = Check.finiteOrNull(metric + " truth", truth);
        if (reason != null && reason.length() > 1000) {
            reason = reason.substring(0, 997) + "...";
        }
    }

    public CaseScore(String caseId, String metric, Double score, CaseFlag flag, String reason) {
        this(caseId, metric, score, flag, reason, null);
    }

    public CaseScore(String caseId, String metric, Double score, CaseFlag flag) {
        this(caseId, metric, score, flag, null, null);
    }

    public static CaseScore of(String caseId, String metric, double score) {
        return new CaseScore(caseId, metric, score, null, null, null);
    }

    /** The same score with the reason it is flagged. */
    public CaseScore because(String why) {
        return new CaseScore(caseId, metric, score, flag, why, truth);
    }

    /** The same score flagged, with the reason. */
    public CaseScore flagged(CaseFlag why, String reason) {
        return new CaseScore(caseId, metric, score, why, reason, truth);
    }

    /** The same score with the case's reference beside it. */
    public CaseScore withTruth(double value) {
        return new CaseScore(caseId, metric, score, flag, reason, value);
    }
}
