package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.brainfm.model.Tensors;
import org.brainfm.train.Augment;
import org.brainfm.train.Step;

/** Batches of augmented, masked patches as tensors, and the losses the objectives share. */
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
                double ratio = Masks.ratio(s.maskLow(), s.maskHigh(), random);
                float[] m = Masks.blocks(s.patch(), s.maskUnit(), ratio, random);
                System.arraycopy(m, 0, mask, (b * channels + c) * voxels, voxels);
                standardise(image, mask, (b * channels + c) * voxels, voxels);
            }
        });
        Shape shape = new Shape(s.batch(), channels, s.patch()[2], s.patch()[1], s.patch()[0]);
        NDArray x = Tensors.copyOf(step.manager(), image, shape);
        NDArray m = Tensors.copyOf(step.manager(), mask, shape);
        return new Masked(x, x.mul(m.neg().add(1)), m, List.of(patches));
    }

    /** Mean squared error over the voxels where {@code weight} is 1 (all voxels when it is null). */
    static NDArray mse(NDArray prediction, NDArray target, NDArray weight) {
        NDArray se = prediction.sub(target).square();
        if (weight == null) {
            return se.mean();
        }
        return se.mul(weight).sum().div(weight.sum().maximum(1f));
    }

    /** Smooth L1 (Huber divided by beta), mean over all voxels. */
    static NDArray smoothL1(NDArray prediction, NDArray target, float beta) {
        NDArray d = prediction.sub(target).abs();
        return NDArrays.where(d.lt(beta), Tensors.scale(d.square(), 0.5 / beta), d.sub(0.5f * beta)).mean();
    }

    /** Cosine similarity of the rows of two (B, D) arrays, per row (epsilon inside the roots: sqrt's gradient at 0 is infinite). */
    static NDArray cosine(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {1});
        NDArray norms = a.square().sum(new int[] {1}).add(1e-12f).sqrt().mul(b.square().sum(new int[] {1}).add(1e-12f).sqrt());
        return dot.div(norms);
    }

    /** (B, ...) flattened to (B, D). */
    static NDArray rows(NDArray x) {
        return x.reshape(x.getShape().get(0), -1);
    }
}
