package org.brainfm.records;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A phase to record: its name and track, the tasks it scores, its split, when it opens and closes
 * (null: not set), at most {@code maxEntries} submissions per team in any {@code periodHours},
 * whether teams see per-case results, its board's rule and the phase a team must have passed.
 */
public record NewPhase(String name, String track, List<String> tasks, EvaluationSplit split, OffsetDateTime opensAt,
        OffsetDateTime closesAt, int maxEntries, int periodHours, boolean publicCases, BoardRule rule, Long requiresPhaseId) {
    public NewPhase {
        Check.name("phase name", name, 100);
        Check.name("track", track, 100);
        Check.notNull("split", split);
        Check.notNull("board rule", rule);
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("a phase scores at least one task");
        }
        tasks = List.copyOf(tasks);
        if (String.join(",", tasks).length() > 2000) {
            throw new IllegalArgumentException("the phase's task list is longer than 2000 characters");
        }
        if (maxEntries < 1 || periodHours < 1) {
            throw new IllegalArgumentException("a phase allows at least 1 entry per team in a period of at least 1 hour");
        }
        if (opensAt != null && closesAt != null && !closesAt.isAfter(opensAt)) {
            throw new IllegalArgumentException("the phase closes (" + closesAt + ") before it opens (" + opensAt + ")");
        }
    }
}
