package org.brainfm.train;

import ai.djl.engine.Engine;
import java.util.SplittableRandom;
import org.brainfm.tensor.Devices;

/**
 * Every random choice of a run derives from its one seed. Parameter initialisation draws from
 * the engine's generator, seeded by {@link #seedEngine} before the model is initialised; each
 * optimizer step draws its batch, augmentation and masks from its own Java generator
 * {@link #forStep}, a pure function of (seed, step). So the generator state a checkpoint needs
 * is just the step count, and a resumed run draws exactly what an uninterrupted one would.
 */
public final class Seeds {
    private Seeds() {}

    /** Seeds the engine's generator (PyTorch's manual_seed): call before initialising a model. */
    public static void seedEngine(long seed) {
        Engine.getEngine(Devices.ENGINE).setRandomSeed((int) (mix(seed, 0x5eed) & 0x7fffffff));
    }

    /** The generator of optimizer step {@code step} (0-based, counted over the whole run). */
    public static SplittableRandom forStep(long seed, long step) {
        return new SplittableRandom(mix(seed, step));
    }

    /** A well-mixed 64-bit value of two inputs (SplitMix64's finaliser over their combination). */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
