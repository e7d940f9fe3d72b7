package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.tensor.Tensors;
import org.brainfm.train.Augment;
import org.brainfm.train.Step;

/** Batches of augmented, masked patches as tensors, as the objectives draw them. */
final class Batches {
    private Batches() {}

    /**
     * Standardises one patch channel in place by the mean and standard deviation of its visible
     * voxels (mask 0; a constant or empty visible part is only centred) and returns {mean, sd}.
     * Objectives reconstruct in these units (MAE's normalised targets): a network with instance
     * normalisation cannot see a patch's intensity level or scale, so it cannot predict raw
     * intensities, and predicting 0 here is exactly predicting the visible mean.
     */
    static double[] standardise(float[] image, float[] mask, int from, int voxels) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int i = from; i < from + voxels; i++) {
            if (mask[i] == 0) {
                sum += image[i];
                squares += (double) image[i] * image[i];
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double variance = n == 0 ? 0 : Math.max(0, squares / n - mean * mean);
        double sd = variance > 1e-12 ? Math.sqrt(variance) : 1;
        for (int i = from; i < from + voxels; i++) {
            image[i] = (float) ((image[i] - mean) / sd);
        }
        return new double[] {mean, sd};
    }

    /**
     * A batch: {@code image} the augmented patches (B, C, z, y, x), each channel standardised by
     * its visible voxels ({@link #standardise}), {@code input} the same with
     * the masked blocks zeroed (each channel its own mask), {@code mask} 1 where masked.
     */
    record Masked(NDArray image, NDArray input, NDArray mask, List<Corpus.Patch> patches) {}

    static Masked draw(Step step, Corpus corpus, PretrainSettings s, boolean pairs) {
        int channels = pairs ? 2 : 1;
        int voxels = (int) s.patchVoxels();
        float[] image = new float[s.batch() * channels * voxels];
        float[] mask = new float[image.length];
        // Each patch draws from its own generator, split from the step's in order, so the batch does
        // not depend on which thread makes which patch; they are made in parallel because reading,
        // augmenting and masking them on one thread took 1.8 s a step where the GPU needed 0.15 s.
        SplittableRandom[] randoms = new SplittableRandom[s.batch()];
        for (int b = 0; b < randoms.length; b++) {
            randoms[b] = step.random().split();
        }
        Corpus.Patch[] patches = new Corpus.Patch[s.batch()];
        IntStream.range(0, s.batch()).parallel().forEach(b -> {
            SplittableRandom random = randoms[b];
            Corpus.Patch p = pairs ? corpus.pair(random, s.patch()) : corpus.single(random, s.patch());
            patches[b] = p;
            Augment.Sample a = s.augment().apply(p.image(), null, channels, s.patch(), random);
            System.arraycopy(a.image(), 0, image, b * channels * voxels, channels * voxels);
            for (int c = 0; c < channels; c++) {
                double ratio = BlockMasks.ratio(s.maskLow(), s.maskHigh(), random);
                float[] m = BlockMasks.blocks(s.patch(), s.maskUnit(), ratio, random);
                System.arraycopy(m, 0, mask, (b * channels + c) * voxels, voxels);
                standardise(image, mask, (b * channels + c) * voxels, voxels);
            }
        });
        Shape shape = new Shape(s.batch(), channels, s.patch()[2], s.patch()[1], s.patch()[0]);
        NDArray x = Tensors.copyOf(step.manager(), image, shape);
        NDArray m = Tensors.copyOf(step.manager(), mask, shape);
        return new Masked(x, x.mul(Tensors.plus(m.neg(), 1)), m, List.of(patches));
    }

    /** (B, ...) flattened to (B, D). */
    static NDArray rows(NDArray x) {
        return x.reshape(x.getShape().get(0), -1);
    }
}
