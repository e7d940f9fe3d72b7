package org.brainfm.train;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.brainfm.model.layer.Pass;

/**
 * What a loss function gets for one optimizer step.
 *
 * @param manager   where to create this step's arrays; closed after the step
 * @param pass      the training pass to run blocks with ({@code block.apply(pass, x)})
 * @param random    this step's generator: draw the batch, augmentation and masks from it only
 * @param epoch     0-based epoch
 * @param iteration 0-based step within the epoch
 * @param step      0-based step over the whole run
 * @param epochs    epochs of the whole schedule
 */
public record Step(NDManager manager, Pass pass, SplittableRandom random, int epoch, int iteration, long step, int epochs,
        int iterationsPerEpoch) {
    /** Epochs done so far as a fraction (2.5 halfway through the third epoch), for annealed weights. */
    public double progress() {
        return epoch + (double) iteration / iterationsPerEpoch;
    }
}
