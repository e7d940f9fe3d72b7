package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.brainfm.loss.Losses;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Dense;
import org.brainfm.model.layer.Nonlinearity;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.recipe.PretrainingRecipe;
import org.brainfm.tensor.Tensors;
import org.brainfm.train.BatchLoss;
import org.brainfm.train.Step;

/**
 * The SSL3D winner's anatomy/pathology split, on top of masked reconstruction: the deepest
 * feature map's first quarter of channels, averaged over space and passed through a small MLP,
 * is pulled (1 - cosine) toward the subject's anatomy vector ({@link AnatomyTargets}); its
 * second quarter, pooled, feeds a linear healthy-vs-pathological classifier (binary cross
 * entropy); the other half is left to whatever the reconstruction needs (contrast, detail).
 * Weights by default: reconstruction 0.7, anatomy 0.15, pathology 0.15.
 */
public final class AnatomySplit extends MaskedReconstruction {
    public static final String NAME = PretrainingRecipe.ANATOMY_SPLIT;

    private final AnatomyTargets targets;
    private final int part;
    private final Chain anatomyHead;
    private final Dense pathologyHead;

    public AnatomySplit(ModelCard card, String preset, Corpus corpus, PretrainSettings settings) {
        super(card, preset, corpus, settings);
        this.targets = AnatomyTargets.of(corpus);
        int[] channels = network.encoder().channels();
        this.part = Math.max(1, channels[channels.length - 1] / 4);
        this.anatomyHead = new Chain(new Dense(part, part, true), Nonlinearity.leakyRelu(), new Dense(part, AnatomyTargets.components(), true));
        this.pathologyHead = new Dense(part, 1, true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Block> blocks() {
        return List.of(network, anatomyHead, pathologyHead);
    }

    @Override
    public void initialize(NDManager manager) {
        super.initialize(manager);
        anatomyHead.initialize(manager, DataType.FLOAT32, new Shape(settings.batch(), part));
        pathologyHead.initialize(manager, DataType.FLOAT32, new Shape(settings.batch(), part));
    }

    @Override
    protected BatchLoss extraTerms(Step step, Batches.Masked batch, NDList features, NDArray reconstruction, Map<String, NDArray> terms) {
        NDArray deepest = features.get(features.size() - 1);
        long b = deepest.getShape().get(0);
        NDArray pooled = deepest.reshape(b, deepest.getShape().get(1), -1).mean(new int[] {2});
        NDArray anatomyPart = pooled.get(":, 0:" + part);
        NDArray pathologyPart = pooled.get(":, " + part + ":" + (2 * part));
        float[] anatomy = new float[(int) b * AnatomyTargets.components()];
        float[] pathological = new float[(int) b];
        for (int i = 0; i < b; i++) {
            AnatomyTargets.Target t = targets.of(batch.patches().get(i).session().subject());
            System.arraycopy(t.anatomy(), 0, anatomy, i * AnatomyTargets.components(), AnatomyTargets.components());
            pathological[i] = t.pathological();
        }
        NDArray anatomyTarget = Tensors.copyOf(step.manager(), anatomy, new Shape(b, AnatomyTargets.components()));
        NDArray label = Tensors.copyOf(step.manager(), pathological, new Shape(b, 1));
        NDArray anatomyLoss = Tensors.plus(Losses.cosine(anatomyHead.apply(step.pass(), anatomyPart), anatomyTarget).neg(), 1).mean();
        NDArray logit = pathologyHead.apply(step.pass(), pathologyPart);
        NDArray bce = ai.djl.nn.Activation.relu(logit).add(Tensors.plus(logit.abs().neg().exp(), 1).log()).sub(logit.mul(label)).mean();
        terms.put("anatomy", anatomyLoss);
        terms.put("pathology", bce);
        NDArray total = Tensors.scale(reconstruction, settings.weight("reconstruction", 0.7))
                .add(Tensors.scale(anatomyLoss, settings.weight("anatomy", 0.15)))
                .add(Tensors.scale(bce, settings.weight("pathology", 0.15)));
        return new BatchLoss(total, terms, settings.batch() * settings.patchVoxels());
    }
}
