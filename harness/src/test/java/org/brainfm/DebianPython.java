package org.brainfm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python (/usr/bin/python3 with python3-nibabel, -scipy, -sklearn and -numpy), the
 * tests' independent oracle. Not the python on PATH, which may lack those packages. Every
 * failure fails the test with python's own output and, where python is absent, what to install.
 */
public final class DebianPython {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private DebianPython() {}

    /**
     * Runs python with {@code args} (a script file or {@code -c} and a script, then its arguments)
     * in {@code dir}, within {@code timeoutSeconds}; returns what it wrote to standard output.
     */
    public static String run(Path dir, int timeoutSeconds, List<String> args) {
        if (!Files.isExecutable(PYTHON)) {
            throw new AssertionError(PYTHON + " is missing: install python3-nibabel python3-scipy python3-sklearn "
                    + "python3-numpy (scripts/test does)");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(args);
        Path errors = null;
        try {
            errors = Files.createTempFile("python-oracle", ".err");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(errors.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the python oracle ran past " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("the python oracle failed (exit " + p.exitValue() + "; it needs Debian's "
                        + "python3-nibabel, python3-scipy, python3-sklearn and python3-numpy, which scripts/test installs):\n"
                        + Files.readString(errors) + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }
}
