package org.brainfm.records;

/** One metric over the {@code n} cases of a task, with its 95 % confidence interval (null bounds: none computed). */
public record AggregateScore(String metric, Double score, Double ciLow, Double ciHigh, int n) {
    public AggregateScore {
        Check.name("metric", metric, 50);
        score = Check.finiteOrNull(metric, score);
        ciLow = Check.finiteOrNull(metric + " CI low", ciLow);
        ciHigh = Check.finiteOrNull(metric + " CI high", ciHigh);
        if (n < 0) {
            throw new IllegalArgumentException(metric + ": n must not be negative");
        }
    }
}
