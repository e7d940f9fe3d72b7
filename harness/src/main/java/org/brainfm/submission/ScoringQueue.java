package org.brainfm.submission;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionStatus;

/**
 * Checks the uploads the site received, then scores valid submissions in the background, K at a
 * time, oldest first. A worker claims a
 * submission with a lease on the database's clock and renews it while it scores; a worker that
 * dies (killed, out of memory, its machine gone) stops renewing, and the next look at the queue -
 * by any worker of any process - gives the submission back to be scored again, or fails it with
 * the reason after {@link #MAX_TRIES} tries. Scoring writes a submission's runs before its status,
 * and the board counts them only once it is {@code scored} or {@code failed}, so nothing is lost
 * and nothing half-scored is shown.
 */
public final class ScoringQueue implements AutoCloseable {
    /** Tries of a submission whose scoring never finishes before it is failed. */
    public static final int MAX_TRIES = 3;

    private final Records records;
    private final Intake intake;
    private final EntryScoring scoring;
    private final Duration lease;
    private final Duration idle;
    private final PrintWriter log;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "brainfm-lease"));
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * A queue whose claims hold for the records' lease ({@link Records#lease}), renewed every
     * quarter of it.
     *
     * @param idle how long an idle worker waits before it looks at the queue again
     */
    public ScoringQueue(Records records, Intake intake, EntryScoring scoring, Duration idle, PrintWriter log) {
        this.records = records;
        this.intake = intake;
        this.scoring = scoring;
        this.lease = records.lease();
        this.idle = idle;
        this.log = log;
    }

    /** Starts {@code k} workers that score until {@link #close}. */
    public void start(int k) {
        for (int i = 0; i < k; i++) {
            Thread t = new Thread(() -> {
                while (!stopping) {
                    if (scoreNext(s -> {}).isEmpty()) {
                        pause();
                    }
                }
            }, "brainfm-scoring-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Scores, with {@code k} workers, every submission waiting now (and any that comes meanwhile); returns when none is left. */
    public void drain(int k, Consumer<EntryScoring.Scored> done) throws InterruptedException {
        List<Thread> drainers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Thread t = new Thread(() -> {
                while (scoreNext(done).isPresent()) {
                    // the next one
                }
            }, "brainfm-scoring-" + (i + 1));
            drainers.add(t);
            t.start();
        }
        for (Thread t : drainers) {
            t.join();
        }
    }

    /**
     * Gives back what dead workers left, then claims and scores the oldest waiting submission;
     * empty when there was none. A failure of our own while scoring (not of the entry) fails the
     * submission with its reason rather than leaving it claimed.
     */
    public Optional<EntryScoring.Scored> scoreNext(Consumer<EntryScoring.Scored> done) {
        List<Long> released;
        Optional<Long> claimed;
        try {
            checkReceived();
            released = records.submissions().releaseExpired(MAX_TRIES);
            claimed = records.submissions().claimNext(lease);
        } catch (RuntimeException e) {
            say("scoring queue: the records cannot be read (" + e.getMessage() + "); trying again");
            return Optional.empty();
        }
        released.forEach(id -> say("submission " + id + ": its scoring stopped unfinished; given back to the queue"));
        return claimed.map(id -> scoreClaimed(id, done));
    }

    /** Checks every upload the site received and no other worker is checking (unpacking and checking take seconds). */
    private void checkReceived() {
        for (long id : records.submissions().receivedIds()) {
            if (records.submissions().claimCheck(id, lease)) {
                try {
                    Intake.Outcome o = intake.checkReceived(id);
                    say("submission " + id + ": " + o.status().id() + (o.reasons().isEmpty() ? "" : " (" + o.reasons().get(0) + ")"));
                } catch (RuntimeException e) {
                    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    records.submissions().setStatus(id, SubmissionStatus.INVALID, List.of("the upload could not be checked: " + why));
                    say("submission " + id + ": the upload could not be checked: " + why);
                }
            }
        }
    }

    /** Scores a submission this process has claimed, renewing its lease meanwhile. */
    public EntryScoring.Scored scoreClaimed(long id, Consumer<EntryScoring.Scored> done) {
        long every = Math.max(1, lease.toMillis() / 4);
        ScheduledFuture<?> renewal = renewals.scheduleAtFixedRate(() -> {
            try {
                records.submissions().renew(id, lease);
            } catch (RuntimeException e) {
                say("submission " + id + ": its lease could not be renewed (" + e.getMessage() + ")");
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            EntryScoring.Scored s = scoring.score(id);
            done.accept(s);
            return s;
        } catch (RuntimeException | Error e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            records.submissions().setStatus(id, SubmissionStatus.FAILED, List.of("scoring stopped: " + why));
            say("submission " + id + ": scoring stopped: " + why);
            EntryScoring.Scored s = new EntryScoring.Scored(id, null, SubmissionStatus.FAILED, List.of("scoring stopped: " + why),
                    java.util.Map.of());
            done.accept(s);
            return s;
        } finally {
            renewal.cancel(false);
        }
    }

    /** Waits {@code idle}, in short steps so that closing is not held up. */
    private void pause() {
        long end = System.nanoTime() + idle.toNanos();
        try {
            while (!stopping && System.nanoTime() < end) {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void say(String line) {
        synchronized (log) {
            log.println(line);
            log.flush();
        }
    }

    /**
     * Stops taking submissions and waits up to {@code wait} for the ones being scored; one still
     * going after that keeps its claim until the lease runs out and is then scored again.
     */
    public void close(Duration wait) {
        stopping = true;
        long deadline = System.nanoTime() + wait.toNanos();
        // never interrupted: a submission being scored would end failed for our own stop
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        renewals.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
