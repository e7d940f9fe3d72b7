package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.brainfm.model.layer.Pass;
import org.brainfm.train.StepLoss;

/**
 * A self-supervised pretraining objective: a batch from the corpus in, a loss and its named
 * terms out ({@link StepLoss#compute}). It owns the network it pretrains ({@link #model}, what
 * is saved), any small heads only the loss uses, and how it draws its batches.
 */
public interface Objective extends StepLoss {
    /** The objective's name as cards and the CLI spell it. */
    String name();

    /** The pretrained network, saved at the end. */
    Block model();

    /** The network's encoder, saved on its own for finetuning to start from. */
    Block encoder();

    /** Every trained block: the model first, then the objective's heads. */
    List<Block> blocks();

    /** Initialises every block for the objective's patches on {@code manager}. */
    void initialize(NDManager manager);

    /**
     * The model's reconstruction of a (masked) single-contrast batch (B, 1, z, y, x): for
     * evaluating masked reconstruction on held-out data.
     */
    NDArray reconstruct(Pass pass, NDArray masked);
}
