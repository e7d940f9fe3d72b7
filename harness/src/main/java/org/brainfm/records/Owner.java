package org.brainfm.records;

import java.time.Instant;
import java.util.Optional;
import org.brainfm.compute.Machine;

/**
 * The process that runs a run: host, pid and the process's start time. A pid alone is not
 * enough (the kernel reuses them); with the start time, "the same pid is alive and started at
 * the same moment" means the owner is still at work.
 */
record Owner(String host, long pid, long startMillis) {
    static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(Machine.hostName(), self.pid(), startMillis(self).orElse(0L));
    }

    /**
     * Whether the owner of a run recorded as {@code host}, {@code pid}, {@code startMillis} may
     * still be running. Runs of other hosts are given the benefit of the doubt: no process
     * table can tell.
     */
    boolean mayStillRun(String runHost, long runPid, long runStartMillis) {
        if (!host.equals(runHost)) {
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
