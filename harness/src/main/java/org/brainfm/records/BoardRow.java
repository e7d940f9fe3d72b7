package org.brainfm.records;

import java.util.Map;

/**
 * One row of a task's board: an entry, the run that scored it, its size and the compute that
 * went into it (the scoring run and every run it started from, as measured), and its metrics
 * by name with their 95 % CIs.
 */
public record BoardRow(long entryId, String team, String entry, Family family, boolean baseline, long runId,
        Long parameters, double deviceHours, double gpuHours, Map<String, AggregateScore> metrics) {}
