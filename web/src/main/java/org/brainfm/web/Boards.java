package org.brainfm.web;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.brainfm.records.ChangeStamp;
import org.brainfm.records.Records;

/**
 * The boards, cached: a {@link Snapshot} is rebuilt only when the records' {@link ChangeStamp}
 * changes. The stamp (one short query) is read at most every {@link #CHECK_MILLIS} ms, so a
 * run finished by another process shows within that time; a change made through this site
 * (hiding an entry) forces a read at once, so the next request never sees the old board.
 */
final class Boards implements AutoCloseable {
    static final long CHECK_MILLIS = 250;

    private final Records records;
    private final int resamples;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "brainfm-rank-intervals");
        t.setDaemon(true);
        return t;
    });
    private volatile Snapshot current;
    private volatile long checkedAt;

    Boards(Records records, int resamples) {
        this.records = records;
        this.resamples = resamples;
    }

    Records records() {
        return records;
    }

    /** The boards as the records stand now (give or take {@link #CHECK_MILLIS} for other processes' writes). */
    Snapshot current() {
        Snapshot s = current;
        if (s != null && System.nanoTime() - checkedAt < CHECK_MILLIS * 1_000_000L) {
            return s;
        }
        synchronized (this) {
            s = current;
            if (s != null && System.nanoTime() - checkedAt < CHECK_MILLIS * 1_000_000L) {
                return s;
            }
            ChangeStamp stamp = records.board().changeStamp();
            if (s == null || !s.stamp.equals(stamp)) {
                s = Snapshot.build(records, stamp, resamples, background);
                current = s;
            }
            checkedAt = System.nanoTime();
            return s;
        }
    }

    /** After a write through the site: the next {@link #current()} reads the stamp again. */
    synchronized void changed() {
        current = null;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
