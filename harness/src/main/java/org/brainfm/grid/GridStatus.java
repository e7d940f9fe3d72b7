package org.brainfm.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.finetune.Finetuning;
import org.brainfm.grid.JobStatus.State;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.brainfm.records.RunStatus;
import org.brainfm.records.SubmissionRow;

/**
 * A grid's progress, read from the records alone (no scheduler is asked: Slurm's accounting needs a
 * database of its own, and the records outlive the queue). A finetuning job's runs carry its hash
 * in their configuration; the job is done when its latest finetuning run is done and a score run
 * of that model is done too (it is on the board). A scoring job is its submission's status.
 */
public final class GridStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GridStatus() {}

    /** Each job's status, in the jobs' order. */
    public static List<JobStatus> of(Records records, List<GridJob> jobs) {
        Map<String, List<RunRow>> byJob = new HashMap<>();
        Map<Long, RunRow> latestScore = new HashMap<>();
        for (RunRow r : records.runs().all()) {
            if (r.kind() == RunKind.FINETUNE) {
                String hash = jobOf(r);
                if (hash != null) {
                    byJob.computeIfAbsent(hash, h -> new ArrayList<>()).add(r);
                }
            } else if (r.kind() == RunKind.SCORE && r.initRunId() != null) {
                latestScore.merge(r.initRunId(), r, (a, b) -> a.id() > b.id() ? a : b);
            }
        }
        List<JobStatus> out = new ArrayList<>();
        for (GridJob job : jobs) {
            out.add(job.submission() != null ? submission(records, job)
                    : finetune(job, byJob.getOrDefault(job.hash(), List.of()), latestScore));
        }
        return out;
    }

    private static JobStatus finetune(GridJob job, List<RunRow> runs, Map<Long, RunRow> latestScore) {
        if (runs.isEmpty()) {
            return new JobStatus(job, State.NOT_STARTED, null, 0, null);
        }
        RunRow last = runs.stream().max(Comparator.comparingLong(RunRow::id)).orElseThrow();
        int n = runs.size();
        return switch (last.status()) {
            case RUNNING -> new JobStatus(job, State.RUNNING, last.id(), n, null);
            case FAILED -> new JobStatus(job, State.FAILED, last.id(), n, last.error());
            case INTERRUPTED -> new JobStatus(job, State.INTERRUPTED, last.id(), n, last.error());
            case DONE -> {
                RunRow score = latestScore.get(last.id());
                if (score == null) {
                    yield new JobStatus(job, State.INTERRUPTED, last.id(), n, "finetuned by run " + last.id()
                            + ", not scored (the job ended between the two; run it again: it resumes from the last checkpoint)");
                }
                State s = score.status() == RunStatus.DONE ? State.DONE : score.status() == RunStatus.RUNNING ? State.RUNNING
                        : score.status() == RunStatus.FAILED ? State.FAILED : State.INTERRUPTED;
                yield new JobStatus(job, s, score.id(), n + 1, score.error());
            }
        };
    }

    private static JobStatus submission(Records records, GridJob job) {
        SubmissionRow s = records.submissions().get(job.submission()).orElse(null);
        if (s == null) {
            return new JobStatus(job, State.FAILED, null, 0, "no submission " + job.submission() + " in the records");
        }
        String reason = s.reasons().isEmpty() ? null : String.join("; ", s.reasons());
        return switch (s.status()) {
            case RECEIVED, VALID -> new JobStatus(job, State.NOT_STARTED, null, s.tries(), null);
            case SCORING -> new JobStatus(job, State.RUNNING, null, s.tries(), null);
            case SCORED -> new JobStatus(job, State.DONE, null, s.tries(), null);
            case INVALID, FAILED -> new JobStatus(job, State.FAILED, null, s.tries(), reason);
        };
    }

    /** The grid job hash in a finetuning run's configuration, or null. */
    static String jobOf(RunRow run) {
        if (run.config() == null || !run.config().contains(Finetuning.GRID_JOB)) {
            return null;
        }
        try {
            JsonNode hash = JSON.readTree(run.config()).get(Finetuning.GRID_JOB);
            return hash == null || !hash.isTextual() ? null : hash.asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // a configuration written by hand or by an old brainfm: no grid job
        }
    }
}
