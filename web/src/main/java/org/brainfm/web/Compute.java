package org.brainfm.web;

/**
 * Measured compute of a model: device-hours (wall-clock x devices) summed over its runs, and
 * the part of them spent on GPUs. What is not GPU time was spent on CPUs.
 */
public record Compute(double gpuHours, double deviceHours) {
    static final Compute NONE = new Compute(0, 0);

    public double cpuHours() {
        return Math.max(0, deviceHours - gpuHours);
    }

    /** True when any of it ran on a GPU: then GPU-hours are the figure to compare. */
    public boolean onGpu() {
        return gpuHours > 0;
    }

    /** The figure to compare: GPU-hours when there are any, else device-hours on CPUs. */
    public double hours() {
        return onGpu() ? gpuHours : deviceHours;
    }

    Compute plus(Double gpuSeconds, Double deviceSeconds) {
        return new Compute(gpuHours + (gpuSeconds == null ? 0 : gpuSeconds / 3600),
                deviceHours + (deviceSeconds == null ? 0 : deviceSeconds / 3600));
    }
}
