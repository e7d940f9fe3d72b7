package org.brainfm.records;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The commit of the code that is running: {@code git rev-parse HEAD} in the checkout that
 * holds brainfm's classes, with {@code -dirty} when tracked files differ from it; {@code
 * unknown} outside a checkout or without git.
 */
final class GitCommit {
    static final String UNKNOWN = "unknown";
    private static String cached;

    private GitCommit() {}

    static synchronized String current() {
        if (cached == null) {
            cached = checkout().map(GitCommit::describe).orElse(UNKNOWN);
        }
        return cached;
    }

    private static Optional<Path> checkout() {
        try {
            Path code = Path.of(GitCommit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.exists(dir.resolve(".git"))) {
                    return Optional.of(dir);
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source to start from
        }
        return Optional.empty();
    }

    private static String describe(Path checkout) {
        String head = git(checkout, "rev-parse", "HEAD");
        if (head == null || !head.matches("[0-9a-f]{40}")) {
            return UNKNOWN;
        }
        String changes = git(checkout, "status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + "-dirty";
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return out;
            }
            git.destroyForcibly();
        } catch (IOException e) {
            // git is not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
