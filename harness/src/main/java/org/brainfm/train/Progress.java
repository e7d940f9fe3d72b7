package org.brainfm.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress line of a training run on stderr: epoch, step, running loss, voxels/s and
 * ETA. On a terminal one line is rewritten in place; otherwise (a log file, CI) a plain line
 * is printed every {@code interval} seconds and at the end of each epoch.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long intervalNanos;
    private long lastPrint = System.nanoTime();
    private int width;

    public Progress(PrintWriter out, boolean terminal, double intervalSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** A progress line that writes nothing. */
    public static Progress silent() {
        return new Progress(null, false, 0);
    }

    void update(int epoch, int epochs, int iteration, int iterations, double loss, double voxelsPerSecond, double etaSeconds) {
        if (out == null) {
            return;
        }
        boolean epochEnd = iteration == iterations;
        long now = System.nanoTime();
        if (!terminal && !epochEnd && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        int filled = (int) Math.round(20.0 * iteration / iterations);
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d loss %.4f %s vox/s ETA %s",
                epoch, epochs, "#".repeat(filled), ".".repeat(20 - filled), iteration, iterations, loss,
                compact(voxelsPerSecond), duration(etaSeconds));
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            if (epochEnd) {
                out.println();
                width = 0;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** A line of its own (a warning), between progress lines. */
    public void note(String message) {
        if (out == null) {
            return;
        }
        if (terminal && width > 0) {
            out.println();
            width = 0;
        }
        out.println("brainfm: " + message);
        out.flush();
    }

    static String compact(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
