package org.brainfm.compute;

/**
 * What a run used, as measured: wall-clock seconds; device-seconds (wall x devices: the devices
 * held, busy or not); GPU-seconds (the device-seconds of a GPU run, else 0); CPU-seconds of the
 * process and its children; busy seconds (its training steps, synchronised with the device; null
 * without any); test seconds (device-seconds spent scoring its own test cases, inside the
 * device-seconds); the peak memory (GPU memory in use on a GPU run, else the process's peak
 * resident set; 0 when it could not be read).
 */
public record Usage(Hardware devices, double wallSeconds, double deviceSeconds, double gpuSeconds, double cpuSeconds,
        Double busySeconds, double testSeconds, long peakMemoryBytes) {
    public double deviceHours() {
        return deviceSeconds / 3600;
    }
}
