package org.brainfm.finetune;

import ai.djl.ndarray.NDManager;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;

/** Where a finetuning network's encoder starts: a pretraining run's weights, or weights an entry sent. */
public interface EncoderStart {
    /** The recorded run the weights come from; null for weights from outside. */
    Long runId();

    /** How the run's records name the start (its {@code init} and objective). */
    String describe();

    /** Copies the weights into {@code target}'s encoder, which then trains on. */
    void copyEncoderInto(Network target, ModelCard card, String preset, NDManager manager);
}
