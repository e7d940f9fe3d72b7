package org.brainfm.records;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link CrashChild} in its own JVM, on the test class path, whose output is read line by line. */
final class ChildJvm implements AutoCloseable {
    final Process process;
    private final BufferedReader out;

    ChildJvm(Path log, String... args) throws IOException {
        this(log, Map.of(), args);
    }

    /** A child whose environment has {@code environment} added (BRAINFM_HOST, BRAINFM_RUN_LEASE...). */
    ChildJvm(Path log, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line the child printed; fails when it exits first. */
    String nextLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the child JVM ended (exit " + waitExit() + ") before saying enough");
        }
        return line;
    }

    private int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly().waitFor();
    }
}
