package org.brainfm.grid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.brainfm.BrainfmException;

/**
 * A grid as one Slurm job array: an {@code sbatch} script with one array task per job, each running
 * its {@code brainfm} command as a job step ({@code srun}, so that {@code scancel --signal=TERM}
 * reaches it) against the shared records. A task whose command exits with {@code stopped} (SIGTERM
 * before preemption or the time limit: the job checkpointed) requeues itself, up to
 * {@link #MAX_RESTARTS} times, and resumes from its checkpoint; any other failure stays failed, its
 * reason in the records. Job states come from the records ({@link GridStatus}), not from sacct,
 * which needs Slurm's accounting database.
 */
public final class SlurmArray {
    /** Requeues of one array task before it is left failed: a job preempted more often needs a longer slot. */
    static final int MAX_RESTARTS = 5;

    /** sbatch's resource options; null: the cluster's default. */
    public record Resources(String partition, String gres, String time) {}

    private SlurmArray() {}

    /** The script: {@code launcher} is the brainfm command (shell words), {@code stoppedExit} the exit code of a checkpointed stop. */
    public static String script(List<GridJob> jobs, String launcher, Resources resources, Path logs, int stoppedExit) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a job array needs a job");
        }
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=brainfm-grid\n");
        s.append("#SBATCH --array=0-").append(jobs.size() - 1).append('\n');
        s.append("#SBATCH --requeue\n");
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --output=").append(logs.toAbsolutePath().resolve("task-%a.log")).append('\n');
        if (resources.partition() != null) {
            s.append("#SBATCH --partition=").append(resources.partition()).append('\n');
        }
        if (resources.gres() != null) {
            s.append("#SBATCH --gres=").append(resources.gres()).append('\n');
        }
        if (resources.time() != null) {
            s.append("#SBATCH --time=").append(resources.time()).append('\n');
        }
        s.append("""
                # Written by brainfm grid: one array task per job (docs/scale.md). A task stopped by SIGTERM
                # (preemption, time limit, scancel --signal=TERM) checkpoints, exits %d and is requeued here;
                # Slurm holds a requeued task back about two minutes (BeginTime) before it starts it again.
                set -u
                # the batch shell outlives the signal so that it can requeue; the job step handles it itself
                trap 'echo "brainfm grid: SIGTERM: the job stops at its next training step"' TERM
                task="${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                echo "brainfm grid: array task $task, restart ${SLURM_RESTART_COUNT:-0}, on $(hostname) at $(date -Is)"
                case "$SLURM_ARRAY_TASK_ID" in
                """.formatted(stoppedExit));
        for (int i = 0; i < jobs.size(); i++) {
            GridJob job = jobs.get(i);
            s.append("  ").append(i).append(") # ").append(job.label().replace('\n', ' ')).append(", job ").append(job.hash())
                    .append("\n    set --");
            for (String a : job.arguments()) {
                s.append(' ').append(quote(a));
            }
            s.append(" ;;\n");
        }
        s.append("""
                  *) echo "brainfm grid: no job for array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;
                esac
                srun --ntasks=1 %s "$@"
                rc=$?
                echo "brainfm grid: array task $task exited $rc at $(date -Is)"
                if [ "$rc" -eq %d ] && [ "${SLURM_RESTART_COUNT:-0}" -lt %d ]; then
                  echo "brainfm grid: requeueing $task; it resumes from its checkpoint"
                  scontrol requeue "$task"
                fi
                exit "$rc"
                """.formatted(launcher, stoppedExit, MAX_RESTARTS));
        return s.toString();
    }

    /** Writes the script to {@code file}, makes its log folder and submits it with {@code sbatch}; returns the array's job id. */
    public static String submit(Path file, String script, Path logs) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // slurmd does not make the folder of --output: a task without it fails before it starts
            Files.createDirectories(logs);
            Files.writeString(file, script, StandardCharsets.UTF_8);
            file.toFile().setExecutable(true);
            Process p = new ProcessBuilder("sbatch", "--parsable", file.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new BrainfmException("sbatch " + file, "refused the job array: " + out.replace('\n', ' '));
            }
            // --parsable prints "ID" or "ID;CLUSTER"
            return out.split(";")[0];
        } catch (IOException e) {
            throw new BrainfmException("sbatch", "cannot run it (is Slurm installed here? scripts/slurm-local starts a"
                    + " one-node cluster): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrainfmException("sbatch", "interrupted", e);
        }
    }

    /** A word for bash: single-quoted unless plainly safe. */
    static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** {@code words} as one shell command line, each quoted as needed. */
    public static String commandLine(List<String> words) {
        List<String> quoted = new ArrayList<>();
        words.forEach(w -> quoted.add(quote(w)));
        return String.join(" ", quoted);
    }
}
