package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.loss.Losses;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Pass;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.recipe.PretrainingRecipe;
import org.brainfm.train.BatchLoss;
import org.brainfm.train.Step;

/**
 * Masked reconstruction (MAE as in SSL3D's baseline, AMAES as in FOMO25's): random cubes of
 * each single-contrast patch are zeroed, the network (encoder + reconstruction head: a U-Net
 * decoder with skips, a ViT's patch decoder) predicts the whole patch, and the loss is the MSE
 * on the masked voxels (or on all voxels). Works for every architecture.
 */
public class MaskedReconstruction implements Objective {
    public static final String NAME = PretrainingRecipe.MAE;

    protected final Network network;
    protected final Corpus corpus;
    protected final PretrainSettings settings;

    public MaskedReconstruction(ModelCard card, String preset, Corpus corpus, PretrainSettings settings) {
        this.network = Models.build(card, preset, Head.reconstruction(1), 1);
        this.corpus = corpus;
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Block model() {
        return network;
    }

    @Override
    public Block encoder() {
        return network.encoder();
    }

    @Override
    public List<Block> blocks() {
        return List.of(network);
    }

    @Override
    public void initialize(NDManager manager) {
        network.initialize(manager, DataType.FLOAT32, inputShape(1));
    }

    protected Shape inputShape(int channels) {
        int[] p = settings.patch();
        return new Shape(settings.batch(), channels, p[2], p[1], p[0]);
    }

    @Override
    public NDArray reconstruct(Pass pass, NDArray masked) {
        return network.apply(pass, masked);
    }

    @Override
    public BatchLoss compute(Step step) {
        Batches.Masked batch = Batches.draw(step, corpus, settings, false);
        NDList features = network.features(step.pass(), batch.input());
        NDArray reconstruction = network.head().decode(step.pass(), features);
        NDArray loss = Losses.mse(reconstruction, batch.image(), settings.maskedOnly() ? batch.mask() : null);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("reconstruction", loss);
        return extraTerms(step, batch, features, loss, terms);
    }

    /** Hook for objectives built on masked reconstruction: add terms to the loss. */
    protected BatchLoss extraTerms(Step step, Batches.Masked batch, NDList features, NDArray reconstruction, Map<String, NDArray> terms) {
        return new BatchLoss(reconstruction, terms, settings.batch() * settings.patchVoxels());
    }
}
