package org.brainfm.submission;

/**
 * What a model entry may use while it is scored (submissions/README.md): the heap and the whole
 * address space of its JVM, seconds per case and per entry, and the seconds its JVM may take to
 * start and load the models before the first case's clock starts.
 */
public record ScoringLimits(int heapMegabytes, int memoryMegabytes, int caseSeconds, int entrySeconds, int startSeconds) {
    public ScoringLimits {
        if (heapMegabytes < 64 || memoryMegabytes < heapMegabytes + 1024 || caseSeconds < 1 || entrySeconds < 1 || startSeconds < 1) {
            throw new IllegalArgumentException("limits: heap at least 64 MB, memory at least 1 GB above the heap,"
                    + " seconds positive");
        }
    }

    /** 4 GB of heap in 12 GB of address space, 120 s a case, 30 min an entry, 60 s to start. */
    public static ScoringLimits defaults() {
        return new ScoringLimits(4096, 12288, 120, 1800, 60);
    }
}
