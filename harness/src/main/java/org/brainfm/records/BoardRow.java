package org.brainfm.records;

import java.util.List;
import java.util.Map;

/**
 * One row of a task's board: an entry, the runs that scored it (the latest shown one per
 * finetuning seed; {@code runId} the latest of them), its size and the compute that went into
 * it (those runs and every run they started from, each counted once, as measured), and its
 * metrics by name: means over the seeds with their spread and 95 % CIs.
 */
public record BoardRow(long entryId, String team, String entry, Family family, boolean baseline, long runId,
        Long parameters, double deviceHours, double gpuHours, Map<String, AggregateScore> metrics, List<SeedRun> seedRuns) {
    public BoardRow {
        seedRuns = List.copyOf(seedRuns);
    }

    /** A row scored by one run (one seed, or none recorded). */
    public BoardRow(long entryId, String team, String entry, Family family, boolean baseline, long runId,
            Long parameters, double deviceHours, double gpuHours, Map<String, AggregateScore> metrics) {
        this(entryId, team, entry, family, baseline, runId, parameters, deviceHours, gpuHours, metrics,
                List.of(new SeedRun(null, runId)));
    }

    /** A scoring run of the row and the finetuning seed it scores (null: none recorded, e.g. a team's model). */
    public record SeedRun(Long seed, long runId) {}
}
