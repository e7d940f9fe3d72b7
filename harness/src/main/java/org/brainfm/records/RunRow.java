package org.brainfm.records;

import java.time.OffsetDateTime;

/**
 * A stored run as listed: what it was, where it stands, and what it used. Compute figures are
 * null until the run first reports them; {@code config} is its configuration as JSON text;
 * {@code hidden}: an organiser took it off the boards and public listings.
 */
public record RunRow(long id, RunKind kind, String cardId, Long entryId, String objective, String taskId,
        Long seed, Long initRunId, RunStatus status, OffsetDateTime started, OffsetDateTime ended, String host,
        String deviceType, String deviceName, int deviceCount, Double wallSeconds, Double deviceSeconds,
        Double gpuSeconds, Double cpuSeconds, Long peakMemoryBytes, Long parameters, String gitCommit,
        String config, String error, boolean hidden, Long phaseId, Long submissionId, Double busySeconds, Double testSeconds) {}
