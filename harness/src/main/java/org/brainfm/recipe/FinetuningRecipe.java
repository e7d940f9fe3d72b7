package org.brainfm.recipe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.brainfm.BrainfmException;
import org.brainfm.loss.SegmentationLoss;
import org.brainfm.metrics.TaskType;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.train.Augment;
import org.brainfm.train.Seeds;
import org.brainfm.train.TrainConfig;

/**
 * How a finetuning run trains and predicts, resolved once from a model card, a preset, a protocol
 * and the user's overrides, and stored as the run's configuration ({@link #toConfig}).
 *
 * @param protocol       whose recipe it is ({@link Protocol}): FOMO25's (the card's own finetuning
 *                       section) or SSL3D's (one fixed recipe for every encoder)
 * @param folds          1: one model on all finetuning cases; K: K models, each validated on one
 *                       fold, averaged at test time
 * @param epochs         epochs per fold
 * @param iterations     optimizer steps per epoch; 0 for one pass over the training cases
 * @param learningRate   peak learning rate, after {@code warmupEpochs} of linear warmup, then cosine
 * @param seed           draws the finetuning cases (datasets.yaml's split), initialises and trains
 * @param batch          patches per step
 * @param labelSmoothing classification's label smoothing
 * @param margin         voxels kept around each case's nonzero box (preprocessing)
 * @param spacing        resample to this voxel size (x, y, z mm) first, or null to keep the input's
 * @param patch          the network's input (x, y, z voxels) in training and in the test-time windows
 * @param overlap        sliding-window overlap at test time
 * @param resamples      bootstrap resamples of the 95 % CIs
 * @param augment        patch augmentation while training
 */
public record FinetuningRecipe(String card, String preset, Protocol protocol, int folds, int epochs, int iterations,
        double learningRate, double weightDecay, int warmupEpochs, double gradientClip, long seed, int batch,
        SegmentationLoss segmentationLoss, double labelSmoothing, int margin, double[] spacing, int[] patch,
        double overlap, int resamples, Augment augment) {
    public static final double DEFAULT_LABEL_SMOOTHING = 0.1;
    public static final int DEFAULT_MARGIN = 2;
    public static final double DEFAULT_OVERLAP = 0.5;
    public static final int DEFAULT_RESAMPLES = 1000;
    /** Epochs at the mini preset (docs/protocol.md: what they reach on the synthetic tasks). */
    public static final int MINI_EPOCHS = 4;
    /** Steps per epoch at the mini preset. */
    public static final int MINI_ITERATIONS = 15;
    /** Peak learning rate at the mini preset: the cards' full-scale 1e-4 barely moves a network in 60 steps. */
    public static final double MINI_LR = 1e-2;
    /**
     * How much faster a rate the mini preset takes than the full one: SSL3D's fixed rates (1e-3 for a
     * CNN's segmentation, 1e-4 otherwise) scaled as FOMO25's card rate 1e-4 is to {@link #MINI_LR}.
     */
    static final double MINI_RATE_FACTOR = MINI_LR / 1e-4;
    /**
     * Image-level tasks (classification, regression) at the mini preset (docs/protocol.md): the whole
     * head resampled to {@value #MINI_IMAGE_SPACING_MM} mm in a {@value #MINI_IMAGE_PATCH}^3 patch,
     * {@value #MINI_IMAGE_EPOCHS} epochs at {@value #MINI_IMAGE_LR}. Tuned on validation phantoms:
     * a 64^3 step costs about twenty 32^3 steps, and the 64^3 recipe's few dozen steps left brain age
     * at the mean age and infarct at chance (at its rate 1e-2 the loss rose to 2-4); every test site's
     * scans are also put on the one training grid.
     */
    public static final double MINI_IMAGE_SPACING_MM = 6;
    public static final int MINI_IMAGE_PATCH = 32;
    public static final int MINI_IMAGE_EPOCHS = 8;
    public static final double MINI_IMAGE_LR = 1e-3;
    /**
     * Steps per epoch of regression at mini, with flips only: the mini U-Net predicts the mean age
     * for the first few hundred steps, and without augmentation it memorised its 24 cases.
     */
    public static final int MINI_REGRESSION_ITERATIONS = 150;
    /** Steps per epoch of classification at mini, with the full augmentation (at 4 x 75 steps one validation seed of two had barely moved). */
    public static final int MINI_CLASSIFICATION_ITERATIONS = 75;
    /** Largest global gradient norm while finetuning (the FOMO25 winner clipped at 1.0). */
    public static final double GRADIENT_CLIP = 1.0;
    /** nnU-Net's share of patches centred on foreground when training segmentation. */
    public static final double FOREGROUND_SHARE = 0.33;

    private static final ObjectMapper JSON = new ObjectMapper();

    public FinetuningRecipe {
        if (folds < 1 || epochs < 1 || iterations < 0 || batch < 1 || !(learningRate > 0) || resamples < 1
                || warmupEpochs < 0 || margin < 0) {
            throw new IllegalArgumentException("folds, epochs, batch, learning rate and resamples must be positive;"
                    + " iterations, warmup and margin not negative");
        }
        if (!(overlap >= 0 && overlap < 1) || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("overlap must be in [0, 1), label smoothing in [0, 1]");
        }
        if (spacing != null && (spacing.length != 3 || Arrays.stream(spacing).anyMatch(s -> !(s > 0) || Double.isInfinite(s)))) {
            throw new IllegalArgumentException("spacing must be 3 positive mm values, got " + Arrays.toString(spacing));
        }
        if (patch == null || patch.length != 3 || Arrays.stream(patch).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("patch must be 3 positive voxel counts, got " + Arrays.toString(patch));
        }
        spacing = spacing == null ? null : spacing.clone();
        patch = patch.clone();
    }

    @Override
    public double[] spacing() {
        return spacing == null ? null : spacing.clone();
    }

    @Override
    public int[] patch() {
        return patch.clone();
    }

    /** The training schedule of fold {@code fold}, which trains on {@code trainingCases} cases. */
    public TrainConfig training(int trainingCases, int fold) {
        int steps = iterations > 0 ? iterations : Math.max(1, (trainingCases + batch - 1) / batch);
        return new TrainConfig(epochs, steps, learningRate, 0, weightDecay, warmupEpochs, gradientClip, Seeds.mix(seed, fold));
    }

    /** The recipe as the run's configuration: flat, snake_case keys. */
    public ObjectNode toConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.put("card", card);
        c.put("preset", preset);
        c.put("protocol", protocol.label());
        c.put("folds", folds);
        c.put("epochs", epochs);
        c.put("iterations", iterations);
        c.put("learning_rate", learningRate);
        c.put("weight_decay", weightDecay);
        c.put("warmup_epochs", warmupEpochs);
        c.put("gradient_clip", gradientClip);
        c.put("seed", seed);
        c.put("batch", batch);
        c.put("segmentation_loss", segmentationLoss.label());
        c.put("label_smoothing", labelSmoothing);
        c.put("margin", margin);
        c.putPOJO("spacing", spacing);
        c.putPOJO("patch", patch);
        c.put("overlap", overlap);
        c.put("resamples", resamples);
        c.put("augment", augment.label());
        return c;
    }

    /** A recipe for {@code card} at {@code preset} on a task of {@code type}. */
    public static Builder builder(ModelCard card, String preset, TaskType type) {
        return new Builder(card, preset, type);
    }

    /**
     * Builds a recipe: {@link #setSeed} is required; every {@code opt} left out takes the
     * protocol's recipe - the card's finetuning section (FOMO25) or SSL3D's fixed one - then the
     * preset's default (at mini: {@value #MINI_EPOCHS} epochs of {@value #MINI_ITERATIONS} steps,
     * FOMO25 at {@value #MINI_LR}, SSL3D at its rates scaled by the same factor).
     */
    public static final class Builder {
        private final ModelCard card;
        private final String preset;
        private final TaskType type;
        private Protocol protocol = Protocol.FOMO25;
        private Long seed;
        private Integer folds;
        private Integer epochs;
        private Integer iterations;
        private Double learningRate;
        private Integer batch;
        private SegmentationLoss segmentationLoss = SegmentationLoss.DICE_CE;
        private double labelSmoothing = DEFAULT_LABEL_SMOOTHING;
        private int margin = DEFAULT_MARGIN;
        private double[] spacing;
        private Integer patch;
        private double overlap = DEFAULT_OVERLAP;
        private int resamples = DEFAULT_RESAMPLES;
        private Augment augment;

        private Builder(ModelCard card, String preset, TaskType type) {
            this.card = card;
            this.preset = preset;
            this.type = type;
            card.preset(preset);
        }

        public Builder optProtocol(Protocol value) {
            this.protocol = value;
            return this;
        }

        public Builder setSeed(long value) {
            this.seed = value;
            return this;
        }

        public Builder optFolds(Integer value) {
            this.folds = value;
            return this;
        }

        public Builder optEpochs(Integer value) {
            this.epochs = value;
            return this;
        }

        /** Steps per epoch; 0 for one pass over the training cases. */
        public Builder optIterations(Integer value) {
            this.iterations = value;
            return this;
        }

        public Builder optLearningRate(Double value) {
            this.learningRate = value;
            return this;
        }

        public Builder optBatch(Integer value) {
            this.batch = value;
            return this;
        }

        public Builder optSegmentationLoss(SegmentationLoss value) {
            this.segmentationLoss = value;
            return this;
        }

        public Builder optLabelSmoothing(double value) {
            this.labelSmoothing = value;
            return this;
        }

        public Builder optSpacing(double[] mm) {
            this.spacing = mm;
            return this;
        }

        /** A cubic patch of {@code edge} voxels instead of the preset's (a multiple of the network's stride product). */
        public Builder optPatch(Integer edge) {
            this.patch = edge;
            return this;
        }

        public Builder optOverlap(double value) {
            this.overlap = value;
            return this;
        }

        public Builder optResamples(int value) {
            this.resamples = value;
            return this;
        }

        /** Patch augmentation (default: {@link Augment#defaults}; flips only for regression at mini). */
        public Builder optAugment(Augment value) {
            this.augment = value;
            return this;
        }

        public FinetuningRecipe build() {
            if (seed == null) {
                throw new IllegalStateException("a finetuning recipe needs its seed (setSeed)");
            }
            Schedule full = protocol == Protocol.SSL3D ? ssl3d() : fomo25();
            // The mini networks get a few dozen steps: the full recipe's rate and epochs would not move them or take hours.
            boolean mini = preset.equals("mini");
            boolean miniImage = mini && type != TaskType.SEGMENTATION;
            boolean miniRegression = mini && type == TaskType.REGRESSION;
            int e = epochs != null ? epochs : miniImage ? MINI_IMAGE_EPOCHS : mini ? MINI_EPOCHS : full.epochs();
            int it = iterations != null ? iterations : miniRegression ? MINI_REGRESSION_ITERATIONS
                    : miniImage ? MINI_CLASSIFICATION_ITERATIONS : mini ? MINI_ITERATIONS : 0;
            double lr = learningRate != null ? learningRate : miniImage ? MINI_IMAGE_LR
                    : mini ? full.rate() * MINI_RATE_FACTOR : full.rate();
            int warmup = (int) Math.round((double) full.warmup() * e / full.epochs());
            int f = folds != null ? folds : full.folds();
            int b = batch != null ? batch : card.finetuning().batch() != null ? card.finetuning().batch() : 2;
            int[] p = card.preset(preset).patch();
            Integer edge = patch != null ? patch : miniImage ? Integer.valueOf(MINI_IMAGE_PATCH) : null;
            if (edge != null) {
                String problem = ModelCards.patchProblem(card, preset, edge);
                if (problem != null) {
                    throw new BrainfmException("--patch", problem + " (" + card.name() + " " + preset + ")");
                }
                p = new int[] {edge, edge, edge};
            }
            double mm = MINI_IMAGE_SPACING_MM;
            double[] s = spacing != null ? spacing : miniImage ? new double[] {mm, mm, mm} : null;
            Augment a = augment != null ? augment : miniRegression ? Augment.flipsOnly() : Augment.defaults();
            return new FinetuningRecipe(card.name(), preset, protocol, f, e, it, lr, full.weightDecay(), Math.min(warmup, e),
                    GRADIENT_CLIP, seed, b, segmentationLoss, labelSmoothing, margin, s, p, overlap, resamples, a);
        }

        /** A protocol's recipe at full scale: epochs, warmup epochs, peak rate, weight decay, folds. */
        private record Schedule(int epochs, int warmup, double rate, double weightDecay, int folds) {}

        /** The card's own finetuning section (FOMO25: each team's recipe). */
        private Schedule fomo25() {
            ModelCard.Finetuning r = card.finetuning();
            int epochs = r.epochs() != null ? r.epochs() : 100;
            return new Schedule(epochs, r.warmupEpochs() == null ? 0 : r.warmupEpochs(), r.lr() != null ? r.lr() : 1e-4,
                    r.weightDecay() != null ? r.weightDecay() : 0, r.folds() != null ? r.folds() : 1);
        }

        /** SSL3D's fixed recipe (class comment of {@link Protocol}): the same for every encoder of a family. */
        private Schedule ssl3d() {
            if (type == TaskType.SEGMENTATION) {
                boolean cnn = card.family().equalsIgnoreCase("cnn");
                return new Schedule(150, 15, cnn ? 1e-3 : 1e-4, 3e-5, 1);
            }
            return new Schedule(200, 0, 1e-4, 1e-2, 3);
        }
    }
}
