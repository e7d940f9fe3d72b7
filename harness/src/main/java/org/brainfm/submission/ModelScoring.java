package org.brainfm.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Meter;
import org.brainfm.submission.ModelRunner.Job;
import org.brainfm.submission.ModelRunner.JobCase;

/**
 * Runs a model entry's ONNX models over test cases in a child JVM ({@link ModelRunner}) with a
 * memory cap (heap and the whole process's address space), one ONNX Runtime thread, a wall limit
 * per case and one per entry. A case that fails or runs out of time is given up with its reason
 * (the child is killed and started again for the cases after it); the entry's time limit gives up
 * the rest. What the child leaves are prediction files, checked like a team's.
 */
final class ModelScoring {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScoringLimits limits;

    ModelScoring(ScoringLimits limits) {
        this.limits = limits;
    }

    /**
     * Predicts {@code cases} into {@code out}; returns the reason for each case that has no
     * prediction because the run failed or ran out of time. Work of the child counts on {@code meter}.
     */
    Map<String, String> run(Job job, Path out, Path log, Meter meter) {
        Map<String, String> givenUp = new LinkedHashMap<>();
        List<JobCase> left = new ArrayList<>(job.cases());
        long entryDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.entrySeconds());
        while (!left.isEmpty()) {
            if (System.nanoTime() > entryDeadline) {
                left.forEach(c -> givenUp.put(c.id(), "not run: the entry's time limit of " + limits.entrySeconds() + " s was reached"));
                break;
            }
            Job part = new Job(job.type(), job.outputs(), job.models(), job.names(), job.inputs(), job.patch(), job.spacing(), 1, out.toString(),
                    List.copyOf(left));
            Attempt attempt = attempt(part, log, entryDeadline, meter);
            left.removeIf(c -> attempt.finished().contains(c.id()));
            givenUp.putAll(attempt.failed());
            left.removeIf(c -> attempt.failed().containsKey(c.id()));
            if (attempt.fatal() != null) {
                left.forEach(c -> givenUp.put(c.id(), attempt.fatal()));
                break;
            }
        }
        return givenUp;
    }

    /** What one child process got through: cases done, cases failed (with why), or a reason to stop. */
    private record Attempt(List<String> finished, Map<String, String> failed, String fatal) {}

    private Attempt attempt(Job job, Path log, long entryDeadline, Meter meter) {
        Path jobFile;
        try {
            jobFile = Files.createTempFile(log.getParent(), "job-", ".json");
            JSON.writeValue(jobFile.toFile(), job);
        } catch (IOException e) {
            throw new BrainfmException(log.getParent().toString(), "cannot write the scoring job: " + e.getMessage(), e);
        }
        Process child = start(jobFile, log);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone; its exit says why
            } finally {
                lines.add("\u0000end");
            }
        }, "model-runner-output");
        reader.setDaemon(true);
        reader.start();
        List<String> finished = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        int next = 0;
        long caseDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.caseSeconds() + limits.startSeconds());
        try {
            while (true) {
                long wait = Math.min(caseDeadline, entryDeadline) - System.nanoTime();
                String line = wait <= 0 ? null : lines.poll(wait, TimeUnit.NANOSECONDS);
                if (line == null) {
                    kill(child);
                    if (next < job.cases().size()) {
                        String id = job.cases().get(next).id();
                        boolean entry = System.nanoTime() >= entryDeadline;
                        failed.put(id, entry ? "not finished: the entry's time limit of " + limits.entrySeconds() + " s was reached"
                                : "timed out after " + limits.caseSeconds() + " s");
                    }
                    return new Attempt(finished, failed, null);
                }
                if (line.equals("\u0000end")) {
                    break;
                }
                if (line.equals("ready")) {
                    // the models are loaded: from here each case has its own time
                    caseDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.caseSeconds());
                } else if (line.startsWith("used ")) {
                    String[] f = line.split(" ");
                    meter.addChild(Double.parseDouble(f[1]), Long.parseLong(f[2]));
                } else if (line.startsWith("done ") || line.startsWith("failed ")) {
                    boolean done = line.startsWith("done ");
                    String rest = line.substring(done ? 5 : 7);
                    int space = rest.indexOf(' ');
                    String id = done || space < 0 ? rest : rest.substring(0, space);
                    if (id.equals("*")) {
                        child.waitFor(10, TimeUnit.SECONDS);
                        return new Attempt(finished, failed, rest.substring(2));
                    }
                    if (done) {
                        finished.add(id);
                    } else {
                        failed.put(id, "the model failed on it: " + rest.substring(space + 1));
                    }
                    next++;
                    caseDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.caseSeconds());
                }
            }
            int code = child.waitFor(10, TimeUnit.SECONDS) ? child.exitValue() : -1;
            if (next < job.cases().size()) {
                String why = died(code, log);
                failed.put(job.cases().get(next).id(), why);
            }
            return new Attempt(finished, failed, null);
        } catch (InterruptedException e) {
            kill(child);
            Thread.currentThread().interrupt();
            throw new BrainfmException("scoring", "interrupted", e);
        } finally {
            kill(child);
            try {
                Files.deleteIfExists(jobFile);
            } catch (IOException e) {
                // a job file left in the scoring folder is harmless
            }
        }
    }

    /** Why a child ended early, from its exit code and the end of its log (an out-of-memory error says so). */
    private String died(int code, Path log) {
        String tail = "";
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (String l : lines) {
                if (l.contains("OutOfMemoryError") || l.contains("Cannot allocate memory") || l.contains("bad_alloc")
                        || l.contains("insufficient memory")) {
                    return "ran out of memory (the cap is " + limits.heapMegabytes() + " MB of heap, "
                            + limits.memoryMegabytes() + " MB in all)";
                }
            }
            tail = lines.isEmpty() ? "" : ": " + Manifests.shorten(lines.get(lines.size() - 1));
        } catch (IOException e) {
            // no log to quote
        }
        return "the model's process ended (exit " + code + ")" + tail;
    }

    private Process start(Path jobFile, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "ulimit -v " + limits.memoryMegabytes() * 1024 + " && exec \"$@\"", "model-runner", java,
                "-Xmx" + limits.heapMegabytes() + "m", "-XX:ReservedCodeCacheSize=64m", "-XX:CompressedClassSpaceSize=64m",
                "-XX:+UseSerialGC", "-Xss1m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                ModelRunner.class.getName(), jobFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // one thread of everything: a model may not take the scorer's cores; few malloc arenas keep the address space small
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        pb.environment().put("DJL_OFFLINE", "true");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new BrainfmException(java, "cannot start the model's process: " + e.getMessage(), e);
        }
    }

    private static void kill(Process child) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
    }
}
