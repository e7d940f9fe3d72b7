package org.brainfm.score;

import java.util.List;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;

/** One result set of a task as the records store it: per-case values and aggregates with 95 % CIs. */
public record ResultSet(List<CaseScore> cases, List<AggregateScore> aggregates) {
    public ResultSet {
        cases = List.copyOf(cases);
        aggregates = List.copyOf(aggregates);
    }

    /** The aggregate of a metric, by its key. */
    public AggregateScore aggregate(String metric) {
        return aggregates.stream().filter(a -> a.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no aggregate " + metric + " in " + aggregates));
    }
}
