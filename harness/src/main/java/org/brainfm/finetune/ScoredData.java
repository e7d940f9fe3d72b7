package org.brainfm.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.brainfm.BrainfmException;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;

/**
 * What ties a score to its data: a finetuning run records its task and the hash of the data it
 * would be scored on ({@link TaskPlan#dataHash}); scoring its model later ({@code brainfm
 * evaluate}, {@code brainfm submit --baseline}) refuses another task, or the same task whose
 * definition or test files changed since - the score would not be the run's.
 */
public final class ScoredData {
    /** The configuration key of the data hash. */
    static final String HASH = "data_sha256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoredData() {}

    /** Refuses, with the reason, to score finetuning run {@code runId}'s model on {@code task} as it now stands. */
    public static void check(Records records, long runId, TaskPlan task) {
        RunRow run = records.runs().get(runId).filter(r -> r.kind() == RunKind.FINETUNE)
                .orElseThrow(() -> new BrainfmException("--run " + runId, "no finetuning run " + runId + " in " + records.location()));
        if (!task.name().equals(run.taskId())) {
            throw new BrainfmException("--task " + task.name(), "run " + runId + " was finetuned for task " + run.taskId()
                    + ", not " + task.name() + "; its model is scored on the task it learnt");
        }
        JsonNode config;
        try {
            config = JSON.readTree(run.config());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + runId + ": stored configuration is not JSON", e);
        }
        String then = config.path(HASH).asText(null);
        if (then == null) {
            return;   // a run recorded before data hashes: its test cases are checked as before
        }
        String now = task.dataHash(run.seed() == null ? task.seeds().get(0) : run.seed());
        if (!then.equals(now)) {
            throw new BrainfmException("--task " + task.name(), "its definition or test data changed since run " + runId
                    + " was finetuned (data hash " + then.substring(0, 12) + " then, " + now.substring(0, 12) + " now: datasets.yaml "
                    + "or the files of its test cases); score the run on the data it was made for, or finetune again");
        }
    }
}
