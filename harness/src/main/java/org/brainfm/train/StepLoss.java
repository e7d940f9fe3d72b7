package org.brainfm.train;

/**
 * A per-batch loss: draws its batch from {@link Step#random()}, runs the model with
 * {@link Step#pass()}, creates arrays in {@link Step#manager()}, and returns the loss. The
 * {@link Trainer} does the rest (backward, clipping, AdamW, schedule, checkpoints, records).
 */
@FunctionalInterface
public interface StepLoss {
    BatchLoss compute(Step step);
}
