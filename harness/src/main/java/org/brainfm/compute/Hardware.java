package org.brainfm.compute;

import java.util.Locale;

/**
 * The devices a run computes on: all of one type, named by model, counted. A CPU run counts
 * one device (the whole processor); a GPU run counts the GPUs it uses.
 */
public record Hardware(Type type, String name, int count) {
    /** CPU or GPU; {@link #id()} is the name stored in the records. */
    public enum Type {
        CPU,
        GPU;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Hardware {
        if (type == null || name == null || name.isBlank()) {
            throw new IllegalArgumentException("devices need a type and a name");
        }
        if (count < 1) {
            throw new IllegalArgumentException("device count must be at least 1, not " + count);
        }
    }

    /** The processor of this machine, by its model name. Loads nothing native. */
    public static Hardware cpu() {
        return new Hardware(Type.CPU, Machine.cpuModel(), 1);
    }

    /** {@code count} GPUs of this machine, named by the NVIDIA driver (or DJL's CUDA probe). */
    public static Hardware gpus(int count) {
        return new Hardware(Type.GPU, Machine.gpuModel(), count);
    }

    /** What a run on one device computes on: one GPU, or the processor. */
    public static Hardware forRun(boolean onGpu) {
        return onGpu ? gpus(1) : cpu();
    }

    /** Every GPU that DJL can use here, or the CPU when there is none. */
    public static Hardware detect() {
        int gpus = Machine.gpuCount();
        return gpus > 0 ? gpus(gpus) : cpu();
    }

    public boolean gpu() {
        return type == Type.GPU;
    }

    /** For people: {@code 2 x NVIDIA H200}, or the CPU model alone. */
    public String describe() {
        return count == 1 ? name : count + " x " + name;
    }
}
