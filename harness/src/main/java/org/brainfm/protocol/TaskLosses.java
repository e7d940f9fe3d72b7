package org.brainfm.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.brainfm.model.Tensors;

/**
 * The finetuning losses, as functions of a batch's network output and targets; each returns a
 * scalar. Reductions reshape to (B, K, voxels) and reduce one axis at a time, which every DJL
 * engine supports.
 */
public final class TaskLosses {
    /** Keeps soft Dice defined on empty classes (nnU-Net's value). */
    static final double SMOOTH = 1e-5;

    private TaskLosses() {}

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
        NDArray ti = tp.add(SMOOTH).div(tp.add(Tensors.scale(fp, alpha)).add(Tensors.scale(fn, beta)).add(SMOOTH));
        NDArray foreground = ti.get(":, 1:");
        return foreground.mean().neg().add(1).add(ce);
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
     * |d| - 0.5 beta elsewhere.
     */
    public static NDArray smoothL1(NDArray predicted, NDArray target, double beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be positive, got " + beta);
        }
        NDArray d = predicted.sub(target.reshape(predicted.getShape())).abs();
        NDArray quadratic = Tensors.scale(d.square(), 0.5 / beta);
        NDArray linear = d.sub(0.5 * beta);
        return NDArrays.where(d.lt(beta), quadratic, linear).mean();
    }
}
