package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What a run is, fixed when it starts: its kind, the card it trains or the entry it scores,
 * the objective, the task, the seed, the run it starts from, and its full configuration
 * (stored as JSON, so that the run can be traced and repeated). Build with the factories and
 * the {@code with...} methods.
 */
public record RunSpec(RunKind kind, String cardId, Long entryId, String objective, String taskId, Long seed,
        Long initRunId, JsonNode config) {
    public RunSpec {
        Check.notNull("run kind", kind);
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
    }

    public static RunSpec pretrain(String cardId, String objective) {
        return new RunSpec(RunKind.PRETRAIN, cardId, null, objective, null, null, null, null);
    }

    public static RunSpec finetune(String cardId, String taskId, Long initRunId) {
        return new RunSpec(RunKind.FINETUNE, cardId, null, null, taskId, null, initRunId, null);
    }

    public static RunSpec score(long entryId, String taskId) {
        return new RunSpec(RunKind.SCORE, null, entryId, null, taskId, null, null, null);
    }

    public RunSpec withCard(String card) {
        return new RunSpec(kind, card, entryId, objective, taskId, seed, initRunId, config);
    }

    public RunSpec withEntry(Long entry) {
        return new RunSpec(kind, cardId, entry, objective, taskId, seed, initRunId, config);
    }

    public RunSpec withObjective(String name) {
        return new RunSpec(kind, cardId, entryId, name, taskId, seed, initRunId, config);
    }

    public RunSpec withTask(String task) {
        return new RunSpec(kind, cardId, entryId, objective, task, seed, initRunId, config);
    }

    public RunSpec withSeed(long value) {
        return new RunSpec(kind, cardId, entryId, objective, taskId, value, initRunId, config);
    }

    public RunSpec withInit(Long runId) {
        return new RunSpec(kind, cardId, entryId, objective, taskId, seed, runId, config);
    }

    public RunSpec withConfig(JsonNode json) {
        return new RunSpec(kind, cardId, entryId, objective, taskId, seed, initRunId, json);
    }
}
