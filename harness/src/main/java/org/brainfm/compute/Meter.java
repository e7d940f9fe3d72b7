package org.brainfm.compute;

/**
 * Measures one run: start it when the run starts, {@link #sample()} now and then on a GPU
 * run (at each step or epoch) to catch the peak GPU memory, and {@link #stop()} at the end.
 * Wall time comes from {@link System#nanoTime()}, CPU time from the JVM's process CPU clock.
 */
public final class Meter {
    private final Hardware devices;
    private final long startNanos;
    private final long startCpuNanos;
    private long peakGpuBytes;
    private double childCpuSeconds;
    private Double busySeconds;
    private double testWallSeconds;
    private long childPeakBytes;

    private Meter(Hardware devices) {
        this.devices = devices;
        Machine.resetPeakResidentSet();
        this.startCpuNanos = Machine.processCpuNanos();
        this.startNanos = System.nanoTime();
        sample();
    }

    public static Meter start(Hardware devices) {
        return new Meter(devices);
    }

    public Hardware devices() {
        return devices;
    }

    /** Reads the GPU memory in use now and keeps the largest figure; no-op on a CPU run. */
    public synchronized void sample() {
        if (devices.gpu()) {
            peakGpuBytes = Math.max(peakGpuBytes, Machine.gpuMemoryInUse(devices.count()));
        }
    }

    /**
     * Adds the work of a child process the run started (a model scored in its own JVM): its CPU
     * seconds count with the run's, and its peak resident set stands for the run's when larger.
     */
    public synchronized void addChild(double cpuSeconds, long peakResidentBytes) {
        childCpuSeconds += Math.max(0, cpuSeconds);
        childPeakBytes = Math.max(childPeakBytes, peakResidentBytes);
    }

    /** Adds the synchronised time of training steps (the device busy with the run's work). */
    public synchronized void addBusy(double seconds) {
        busySeconds = (busySeconds == null ? 0 : busySeconds) + Math.max(0, seconds);
    }

    /** Marks {@code wallSeconds} of the run as scoring its own test cases (see {@link Usage#testSeconds}). */
    public synchronized void addTestInference(double wallSeconds) {
        testWallSeconds += Math.max(0, wallSeconds);
    }

    /** The usage from the start until now; the meter can be read again later. */
    public synchronized Usage stop() {
        sample();
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double deviceSeconds = wall * devices.count();
        double cpu = Math.max(0, Machine.processCpuNanos() - startCpuNanos) / 1e9 + childCpuSeconds;
        long peak = devices.gpu() ? peakGpuBytes : Math.max(Machine.peakResidentSetBytes(), childPeakBytes);
        return new Usage(devices, wall, deviceSeconds, devices.gpu() ? deviceSeconds : 0, cpu, busySeconds,
                Math.min(wall, testWallSeconds) * devices.count(), peak);
    }
}
