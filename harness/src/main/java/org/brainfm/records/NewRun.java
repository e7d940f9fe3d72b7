package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What a run is, fixed when it starts: its kind, the card it trains or the entry it scores,
 * the objective, the task, the seed, the run it starts from, and its full configuration
 * (stored as JSON, so that the run can be traced and repeated), and for a score run, the
 * submission it scores and the challenge phase it belongs to (null: the general board). Build with the factories and
 * the {@code with...} methods.
 */
public record NewRun(RunKind kind, String cardId, Long entryId, String objective, String taskId, Long seed,
        Long initRunId, JsonNode config, Long phaseId, Long submissionId) {
    public NewRun {
        Check.notNull("run kind", kind);
        config = config == null ? JsonNodeFactory.instance.objectNode() : config;
    }

    public static NewRun pretrain(String cardId, String objective) {
        return new NewRun(RunKind.PRETRAIN, cardId, null, objective, null, null, null, null, null, null);
    }

    public static NewRun finetune(String cardId, String taskId, Long initRunId) {
        return new NewRun(RunKind.FINETUNE, cardId, null, null, taskId, null, initRunId, null, null, null);
    }

    public static NewRun score(long entryId, String taskId) {
        return new NewRun(RunKind.SCORE, null, entryId, null, taskId, null, null, null, null, null);
    }

    public NewRun withCard(String card) {
        return new NewRun(kind, card, entryId, objective, taskId, seed, initRunId, config, phaseId, submissionId);
    }

    public NewRun withEntry(Long entry) {
        return new NewRun(kind, cardId, entry, objective, taskId, seed, initRunId, config, phaseId, submissionId);
    }

    public NewRun withObjective(String name) {
        return new NewRun(kind, cardId, entryId, name, taskId, seed, initRunId, config, phaseId, submissionId);
    }

    public NewRun withTask(String task) {
        return new NewRun(kind, cardId, entryId, objective, task, seed, initRunId, config, phaseId, submissionId);
    }

    public NewRun withSeed(long value) {
        return new NewRun(kind, cardId, entryId, objective, taskId, value, initRunId, config, phaseId, submissionId);
    }

    public NewRun withInit(Long runId) {
        return new NewRun(kind, cardId, entryId, objective, taskId, seed, runId, config, phaseId, submissionId);
    }

    public NewRun withConfig(JsonNode json) {
        return new NewRun(kind, cardId, entryId, objective, taskId, seed, initRunId, json, phaseId, submissionId);
    }

    /** The submission this score run scores, and its phase (null: none). */
    public NewRun withSubmission(long submission, Long phase) {
        return new NewRun(kind, cardId, entryId, objective, taskId, seed, initRunId, config, phase, submission);
    }
}
