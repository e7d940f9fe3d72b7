package org.brainfm.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.brainfm.tensor.Tensors;

/**
 * The losses of pretraining and finetuning, as functions of a batch's network output and targets;
 * each returns a scalar (or one value per row). Reductions reshape to (B, K, voxels) and reduce
 * one axis at a time, which every DJL engine supports; constants enter through
 * {@link Tensors}, so autograd never keeps memory that Java frees.
 */
public final class Losses {
    /** Keeps soft Dice defined on empty classes (nnU-Net's value). */
    static final double SMOOTH = 1e-5;

    private Losses() {}

    /**
     * Soft Dice (over the foreground classes 1..K-1, per sample, averaged) plus voxel-wise
     * cross-entropy: (1 - mean Dice) + CE. {@code logits} (B, K, ...spatial), {@code labels}
     * (B, ...spatial) with class indices.
     */
    public static NDArray diceCrossEntropy(NDArray logits, NDArray labels) {
        return tverskyCrossEntropy(logits, labels, 0.5, 0.5);
    }

    /**
     * Tversky loss plus cross-entropy: (1 - mean TI) + CE, where per sample and foreground class
     * TI = (TP + s) / (TP + alpha FP + beta FN + s) on soft counts (alpha = beta = 0.5: Dice).
     */
    public static NDArray tverskyCrossEntropy(NDArray logits, NDArray labels, double alpha, double beta) {
        Shape s = logits.getShape();
        long b = s.get(0);
        int k = (int) s.get(1);
        if (k < 2) {
            throw new IllegalArgumentException("segmentation needs at least 2 classes, got " + k);
        }
        NDArray flat = logits.reshape(b, k, -1);
        NDArray logP = flat.logSoftmax(1);
        NDArray p = logP.exp();
        NDArray target = labels.reshape(b, -1).toType(DataType.INT64, false).oneHot(k).transpose(0, 2, 1).toType(logits.getDataType(), false);
        NDArray ce = target.mul(logP).sum(new int[] {1}).mean().neg();
        NDArray tp = p.mul(target).sum(new int[] {2});
        NDArray fp = p.sum(new int[] {2}).sub(tp);
        NDArray fn = target.sum(new int[] {2}).sub(tp);
        NDArray ti = Tensors.plus(tp, SMOOTH).div(Tensors.plus(tp.add(Tensors.scale(fp, alpha)).add(Tensors.scale(fn, beta)), SMOOTH));
        NDArray foreground = ti.get(":, 1:");
        return Tensors.plus(foreground.mean().neg(), 1).add(ce);
    }

    /**
     * Weighted cross-entropy with label smoothing, as PyTorch's {@code cross_entropy(weight,
     * label_smoothing)} with mean reduction: per case (1 - e) w_y (-log p_y) + (e / K) sum_k w_k
     * (-log p_k), summed and divided by the sum of w_y. {@code logits} (B, K), {@code labels}
     * (B) class indices, {@code weights} one per class.
     */
    public static NDArray weightedCrossEntropy(NDArray logits, NDArray labels, float[] weights, double smoothing) {
        int k = (int) logits.getShape().get(1);
        if (weights.length != k) {
            throw new IllegalArgumentException(weights.length + " class weights for " + k + " classes");
        }
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + smoothing);
        }
        NDArray logP = logits.logSoftmax(1);
        NDArray w = Tensors.copyOf(logits.getManager(), weights, new Shape(k)).toType(logits.getDataType(), false);
        NDArray target = labels.toType(DataType.INT64, false).oneHot(k).toType(logits.getDataType(), false);
        NDArray wy = target.mul(w).sum(new int[] {1});
        NDArray nll = target.mul(logP).sum(new int[] {1}).neg().mul(wy);
        NDArray uniform = Tensors.scale(logP.mul(w).sum(new int[] {1}), -1.0 / k);
        NDArray perCase = Tensors.scale(nll, 1 - smoothing).add(Tensors.scale(uniform, smoothing));
        return perCase.sum().div(wy.sum());
    }

    /** Class weights inversely proportional to the class counts, averaging 1 over the classes present. */
    public static float[] balancedWeights(double[] labels, int classes) {
        int[] count = new int[classes];
        for (double l : labels) {
            count[(int) l]++;
        }
        int present = 0;
        for (int c : count) {
            present += c > 0 ? 1 : 0;
        }
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = count[c] == 0 ? 0f : (float) (labels.length / (double) (present * count[c]));
        }
        return w;
    }

    /**
     * Smooth L1 (Huber divided by beta), mean over elements: 0.5 d^2 / beta where |d| < beta,
     * |d| - 0.5 beta elsewhere. {@code target} is reshaped to the prediction's shape.
     */
    public static NDArray smoothL1(NDArray predicted, NDArray target, double beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be positive, got " + beta);
        }
        NDArray d = predicted.sub(target.reshape(predicted.getShape())).abs();
        NDArray quadratic = Tensors.scale(d.square(), 0.5 / beta);
        NDArray linear = Tensors.plus(d, -0.5 * beta);
        return NDArrays.where(d.lt(beta), quadratic, linear).mean();
    }

    /** Mean squared error over the voxels where {@code weight} is 1 (all voxels when it is null). */
    public static NDArray mse(NDArray prediction, NDArray target, NDArray weight) {
        NDArray se = prediction.sub(target).square();
        if (weight == null) {
            return se.mean();
        }
        return se.mul(weight).sum().div(Tensors.atLeast(weight.sum(), 1));
    }

    /**
     * Cosine similarity of the rows of two (B, D) arrays, per row (epsilon inside the roots:
     * sqrt's gradient at 0 is infinite).
     */
    public static NDArray cosine(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {1});
        NDArray norms = Tensors.plus(a.square().sum(new int[] {1}), 1e-12).sqrt()
                .mul(Tensors.plus(b.square().sum(new int[] {1}), 1e-12).sqrt());
        return dot.div(norms);
    }
}
