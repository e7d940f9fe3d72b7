package org.brainfm.compute;

/**
 * What a run used, as measured: wall-clock seconds; device-seconds (wall x devices);
 * GPU-seconds (the device-seconds of a GPU run, else 0); CPU-seconds of the process; the
 * peak memory (GPU memory in use on a GPU run, else the process's peak resident set; 0 when
 * it could not be read).
 */
public record Usage(Hardware devices, double wallSeconds, double deviceSeconds, double gpuSeconds, double cpuSeconds,
        long peakMemoryBytes) {
    public double deviceHours() {
        return deviceSeconds / 3600;
    }
}
