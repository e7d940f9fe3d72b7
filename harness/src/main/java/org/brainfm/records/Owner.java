package org.brainfm.records;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.brainfm.compute.Machine;

/**
 * The process that runs a run: host, pid and the process's start time. A pid alone is not
 * enough (the kernel reuses them); with the start time, "the same pid is alive and started at
 * the same moment" means the owner is still at work. The host is the machine's name, or
 * {@code BRAINFM_HOST} where that is set (machines that share a name, and tests that play
 * another host).
 */
record Owner(String host, long pid, long startMillis) {
    static Owner current() {
        return current(System.getenv());
    }

    static Owner current(Map<String, String> environment) {
        ProcessHandle self = ProcessHandle.current();
        String host = environment.get("BRAINFM_HOST");
        return new Owner(host == null || host.isBlank() ? Machine.hostName() : host.strip(), self.pid(),
                startMillis(self).orElse(0L));
    }

    /** This process as another host would be: for tests. */
    Owner onHost(String otherHost) {
        return new Owner(otherHost, pid, startMillis);
    }

    /** Whether a run recorded as of {@code runHost} was started on this owner's host (its process table can tell). */
    boolean sameHost(String runHost) {
        return host.equals(runHost);
    }

    /**
     * Whether the owner of a run recorded as {@code host}, {@code pid}, {@code startMillis} may
     * still be running. Runs of other hosts are given the benefit of the doubt: no process
     * table can tell (their heartbeat can: {@link Runs}).
     */
    boolean mayStillRun(String runHost, long runPid, long runStartMillis) {
        if (!sameHost(runHost)) {
            return true;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(runPid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Long> started = startMillis(process.get());
        return started.isEmpty() || runStartMillis == 0 || started.get() == runStartMillis;
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }
}
