package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.loss.Losses;
import org.brainfm.model.arch.UNetPretraining;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Pass;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.recipe.PretrainingRecipe;
import org.brainfm.tensor.Tensors;
import org.brainfm.train.BatchLoss;
import org.brainfm.train.Step;

/**
 * The FOMO25 winner's cross-contrast swap on the compact U-Net's subject/modality model: two
 * co-registered contrasts A and B of one session, one shared crop, each masked by its own
 * random 4^3 cubes (ratio 0.2-0.6), are encoded to subject and modality codes (VAE: means and
 * log-variances; codes sampled in training). The loss:
 * <ul>
 * <li>3 x SmoothL1 (beta 0.1) of A and B decoded from their own codes against the unmasked scans;
 * <li>1 x SmoothL1 of each scan decoded from [mean of both subject codes, its own modality
 *     code] - the subject half swapped for the shared one (cross-reconstruction);
 * <li>0.001 x KL of all codes to N(0, 1), its weight rising linearly over the first 10 epochs;
 * <li>0.5 x (1 - cos) between A's and B's subject means: one anatomy, one code;
 * <li>0.5 x cos between A's and B's modality means: different contrasts, different codes.
 * </ul>
 * Weights come from the card's {@code loss_weights} (self_reconstruction, cross_reconstruction,
 * kl, subject_cosine, modality_cosine).
 */
public final class CrossContrastSwap implements Objective {
    public static final String NAME = PretrainingRecipe.CROSS_CONTRAST_SWAP;
    /** Log-variances of the codes are clipped to +-this before sampling and the KL. */
    static final float LOG_VAR_LIMIT = 10f;
    private static final float BETA = 0.1f;

    private final UNetPretraining model;
    private final Corpus corpus;
    private final PretrainSettings settings;

    public CrossContrastSwap(ModelCard card, String preset, Corpus corpus, PretrainSettings settings) {
        this.model = Models.pretraining(card, preset);
        this.corpus = corpus;
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Block model() {
        return model;
    }

    @Override
    public Block encoder() {
        return model.encoder();
    }

    @Override
    public List<Block> blocks() {
        return List.of(model);
    }

    @Override
    public void initialize(NDManager manager) {
        int[] p = settings.patch();
        model.initialize(manager, DataType.FLOAT32, new Shape(2L * settings.batch(), 1, p[2], p[1], p[0]));
    }

    @Override
    public NDArray reconstruct(Pass pass, NDArray masked) {
        NDList codes = model.encode(pass, masked);
        return model.decode(pass, codes.get(0), codes.get(2));
    }

    /** Subject-code means of a batch of single scans (B, 1, z, y, x), flattened to (B, D). */
    public NDArray subjectCodes(Pass pass, NDArray scans) {
        return Batches.rows(model.encode(pass, scans).get(0));
    }

    @Override
    public BatchLoss compute(Step step) {
        Batches.Masked batch = Batches.draw(step, corpus, settings, true);
        long b = settings.batch();
        // A and B as one batch of 2B scans: A first, then B
        NDArray inputs = batch.input().get(":, 0:1").concat(batch.input().get(":, 1:2"), 0);
        NDArray targets = batch.image().get(":, 0:1").concat(batch.image().get(":, 1:2"), 0);
        NDList codes = model.encode(step.pass(), inputs);
        NDArray subjectMean = codes.get(0);
        // Bounded log-variances: exp() of an unbounded one overflowed to NaN in mini runs at lr 1e-3.
        NDArray subjectLogVar = Tensors.clip(codes.get(1), -LOG_VAR_LIMIT, LOG_VAR_LIMIT);
        NDArray modalityMean = codes.get(2);
        NDArray modalityLogVar = Tensors.clip(codes.get(3), -LOG_VAR_LIMIT, LOG_VAR_LIMIT);
        NDArray subject = sample(step, subjectMean, subjectLogVar);
        NDArray modality = sample(step, modalityMean, modalityLogVar);
        NDArray subjectA = subject.get("0:" + b);
        NDArray subjectB = subject.get(b + ":" + 2 * b);
        NDArray shared = Tensors.scale(subjectA.add(subjectB), 0.5);
        // decode 4B at once: own codes for A and B, then the shared subject with each one's modality
        NDArray subjects = NDArrays.concat(new NDList(subject, shared, shared), 0);
        NDArray modalities = NDArrays.concat(new NDList(modality, modality.get("0:" + b), modality.get(b + ":" + 2 * b)), 0);
        NDArray decoded = model.decode(step.pass(), subjects, modalities);
        NDArray self = Losses.smoothL1(decoded.get("0:" + 2 * b), targets, BETA);
        NDArray cross = Losses.smoothL1(decoded.get(2 * b + ":" + 4 * b), targets, BETA);
        NDArray kl = Tensors.scale(kl(subjectMean, subjectLogVar).add(kl(modalityMean, modalityLogVar)), 0.5);
        NDArray subjectCos = Losses.cosine(Batches.rows(subjectMean.get("0:" + b)), Batches.rows(subjectMean.get(b + ":" + 2 * b))).mean();
        NDArray modalityCos = Losses.cosine(Batches.rows(modalityMean.get("0:" + b)), Batches.rows(modalityMean.get(b + ":" + 2 * b))).mean();
        double anneal = settings.klAnnealEpochs() <= 0 ? 1 : Math.min(1, step.progress() / settings.klAnnealEpochs());
        NDArray total = Tensors.scale(self, settings.weight("self_reconstruction", 3.0))
                .add(Tensors.scale(cross, settings.weight("cross_reconstruction", 1.0)))
                .add(Tensors.scale(kl, settings.weight("kl", 0.001) * anneal))
                .add(Tensors.scale(Tensors.plus(subjectCos.neg(), 1), settings.weight("subject_cosine", 0.5)))
                .add(Tensors.scale(modalityCos, settings.weight("modality_cosine", 0.5)));
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("self_reconstruction", self);
        terms.put("cross_reconstruction", cross);
        terms.put("kl", kl);
        terms.put("subject_cosine", subjectCos);
        terms.put("modality_cosine", modalityCos);
        return new BatchLoss(total, terms, 2 * b * settings.patchVoxels());
    }

    /** mean + exp(logvar / 2) x N(0, 1), the noise drawn from the step's generator. */
    private static NDArray sample(Step step, NDArray mean, NDArray logVar) {
        float[] noise = new float[(int) mean.size()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) step.random().nextGaussian();
        }
        return mean.add(Tensors.scale(logVar, 0.5).exp().mul(Tensors.copyOf(step.manager(), noise, mean.getShape())));
    }

    /** KL(N(mean, exp(logvar)) || N(0, 1)) per element, averaged. */
    private static NDArray kl(NDArray mean, NDArray logVar) {
        return Tensors.scale(Tensors.plus(logVar, 1).sub(mean.square()).sub(logVar.exp()).mean(), -0.5);
    }
}
