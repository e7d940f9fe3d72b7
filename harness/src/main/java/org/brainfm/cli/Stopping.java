package org.brainfm.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM turned into a request to stop, while a grid job runs: Slurm sends SIGTERM before it
 * preempts a job or ends it at its time limit (then SIGKILL after KillWait, 30 s by default).
 * The JVM's own handler would start shutting down at once, killing training mid-step and leaving
 * no way to exit with a code of our own; this one only calls {@code stop} (the job checkpoints at
 * its next step and ends with {@link FinetuneCommand#STOPPED_EXIT}). Closing puts the previous
 * handler back. {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a signal.
 */
final class Stopping implements AutoCloseable {
    private static final Signal TERM = new Signal("TERM");
    private final SignalHandler previous;

    private Stopping(SignalHandler previous) {
        this.previous = previous;
    }

    static Stopping onSigterm(Runnable stop) {
        return new Stopping(Signal.handle(TERM, signal -> stop.run()));
    }

    @Override
    public void close() {
        Signal.handle(TERM, previous);
    }
}
