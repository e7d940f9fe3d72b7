package org.brainfm.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.brainfm.records.ChangeStamp;
import org.brainfm.records.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boards, cached: a {@link Snapshot} is rebuilt only when the records' {@link ChangeStamp}
 * changes. The stamp (one short query) is read at most every {@link #CHECK_MILLIS} ms, so a
 * run finished by another process shows within that time; a change made through this site
 * (hiding an entry) forces a read at once, so the next request never sees the old board.
 * A snapshot whose reading failed (its rank intervals, read in the background) is not kept:
 * the next request builds it again, so the boards recover with the records.
 */
final class Boards implements AutoCloseable {
    static final long CHECK_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(Boards.class);

    private final Records records;
    private final int resamples;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "brainfm-rank-intervals");
        t.setDaemon(true);
        return t;
    });
    /** Where the snapshots' large exports are written ({@link ExportFiles}). */
    private final Path exports;
    private volatile Snapshot current;
    private volatile long checkedAt;

    Boards(Records records, int resamples) {
        this.records = records;
        this.resamples = resamples;
        try {
            this.exports = Files.createTempDirectory("brainfm-exports-");
            exports.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("no folder for the exports", e);
        }
    }

    Records records() {
        return records;
    }

    /** The boards as the records stand now (give or take {@link #CHECK_MILLIS} for other processes' writes). */
    Snapshot current() {
        Snapshot s = current;
        if (fresh(s)) {
            return s;
        }
        synchronized (this) {
            s = current;
            if (fresh(s)) {
                return s;
            }
            ChangeStamp stamp = records.board().changeStamp();
            if (s == null || s.failed() || !s.stamp.equals(stamp)) {
                s = replace(Snapshot.build(records, stamp, resamples, background, new ExportFiles(exports)));
            }
            checkedAt = System.nanoTime();
            return s;
        }
    }

    /** After a write through the site: the next {@link #current()} reads the stamp again. */
    synchronized void changed() {
        replace(null);
    }

    @Override
    public synchronized void close() {
        background.shutdownNow();
        replace(null);
        try {
            Files.deleteIfExists(exports);
        } catch (IOException e) {
            LOG.warn("could not delete the exports' folder {}: {}", exports, e.toString());
        }
    }

    private boolean fresh(Snapshot s) {
        return s != null && !s.failed() && System.nanoTime() - checkedAt < CHECK_MILLIS * 1_000_000L;
    }

    /** Holding the lock: makes {@code next} current, and drops the files of the one it replaces. */
    private Snapshot replace(Snapshot next) {
        Snapshot old = current;
        current = next;
        if (old != null) {
            old.exports.discard();
        }
        return next;
    }
}
