package org.brainfm.grid;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.brainfm.BrainfmException;

/**
 * A grid run on this machine: each job's {@code brainfm} command in its own process, {@code workers}
 * at a time, its output in {@code logs/job-HASH.log}. The jobs write the records themselves, as on
 * a cluster; this only starts them and reports their exit codes.
 */
public final class LocalWorkers {
    private LocalWorkers() {}

    /** Runs every job; returns their exit codes in the jobs' order. */
    public static List<Integer> run(List<GridJob> jobs, List<String> launcher, int workers, Path logs, PrintWriter out)
            throws InterruptedException {
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new BrainfmException(logs.toString(), "cannot make the log folder: " + e.getMessage(), e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Integer>> running = new ArrayList<>();
            for (GridJob job : jobs) {
                running.add(pool.submit(() -> {
                    List<String> command = new ArrayList<>(launcher);
                    command.addAll(job.arguments());
                    Path log = logs.resolve("job-" + job.hash() + ".log");
                    Process p = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                    int code = p.waitFor();
                    synchronized (out) {
                        out.println("job " + job.hash() + " (" + job.label() + "): exit " + code + ", log " + log);
                        out.flush();
                    }
                    return code;
                }));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : running) {
                try {
                    codes.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw new BrainfmException("grid --run local", "cannot start a job: " + cause.getMessage(), cause);
                }
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }
}
