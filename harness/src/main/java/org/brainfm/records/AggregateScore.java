package org.brainfm.records;

/**
 * One metric over the {@code n} cases of a task, with its 95 % confidence interval (null bounds:
 * none computed). On the board it is an entry's mean over {@code seeds} finetuning seeds (one
 * scoring run each), {@code sd} their spread (null for one seed), and the interval a two-level
 * bootstrap over seeds and cases (docs/metrics.md); a result set of one run has one seed.
 */
public record AggregateScore(String metric, Double score, Double ciLow, Double ciHigh, int n, Double sd, int seeds) {
    public AggregateScore {
        Check.name("metric", metric, 50);
        score = Check.finiteOrNull(metric, score);
        ciLow = Check.finiteOrNull(metric + " CI low", ciLow);
        ciHigh = Check.finiteOrNull(metric + " CI high", ciHigh);
        sd = Check.finiteOrNull(metric + " sd", sd);
        if (n < 0) {
            throw new IllegalArgumentException(metric + ": n must not be negative");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException(metric + ": seeds must be at least 1");
        }
    }

    /** One run's aggregate: one seed, no spread. */
    public AggregateScore(String metric, Double score, Double ciLow, Double ciHigh, int n) {
        this(metric, score, ciLow, ciHigh, n, null, 1);
    }
}
