package org.brainfm.predict;

import java.util.List;
import org.brainfm.metrics.TaskType;
import org.brainfm.plan.Prepared;
import org.brainfm.plan.Preprocessing;
import org.brainfm.volume.Interpolation;
import org.brainfm.volume.Volume;

/**
 * Predictions of one or more models (the folds of a finetuning run, averaged) on whole cases:
 * each case is prepared, run through sliding windows, and its prediction put back on the
 * input's grid (segmentation: a 0/1 mask with the input's affine), as a FOMO25 container would
 * hand it in.
 *
 * @param targetMean  regression: the mean the model's output is standardised around
 * @param targetScale regression: the standard deviation it is scaled by
 */
public record CasePredictor(TaskType type, Preprocessing preprocessing, SlidingWindow window, double targetMean,
        double targetScale) {

    /** The foreground mask on the case's input grid: argmax of the fold-averaged softmax. */
    public Volume segment(List<? extends PatchModel> models, Prepared p) {
        Volume probabilities = null;
        for (PatchModel m : models) {
            Volume logits = window.dense(m, p.image());
            Volume prob = softmax(logits);
            probabilities = probabilities == null ? prob : add(probabilities, prob);
        }
        Volume back = p.restore(probabilities, Interpolation.LINEAR, 0f);
        return argmax(back);
    }

    /** Probability of class 1, averaged over the models. */
    public double classify(List<? extends PatchModel> models, Prepared p) {
        double sum = 0;
        for (PatchModel m : models) {
            sum += window.classify(m, p.image())[1];
        }
        return sum / models.size();
    }

    /** The target in its own unit (years), the mean of the models' window medians. */
    public double regress(List<? extends PatchModel> models, Prepared p) {
        double sum = 0;
        for (PatchModel m : models) {
            sum += window.regress(m, p.image())[0] * targetScale + targetMean;
        }
        return sum / models.size();
    }

    /** Softmax over the frames of a logit volume, voxel by voxel. */
    static Volume softmax(Volume logits) {
        int k = logits.nt();
        int voxels = logits.nx() * logits.ny() * logits.nz();
        float[] in = logits.data();
        float[] out = new float[in.length];
        for (int v = 0; v < voxels; v++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, in[c * voxels + v]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(in[c * voxels + v] - max);
            }
            for (int c = 0; c < k; c++) {
                out[c * voxels + v] = (float) (Math.exp(in[c * voxels + v] - max) / sum);
            }
        }
        return logits.withData(out);
    }

    /**
     * The index of the largest frame per voxel (the first on ties) as a 3D label map; NaN where
     * the model gave NaN, which scoring flags as an invalid prediction.
     */
    public static Volume argmax(Volume frames) {
        int k = frames.nt();
        int voxels = frames.nx() * frames.ny() * frames.nz();
        float[] in = frames.data();
        float[] out = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            int best = 0;
            boolean nan = Float.isNaN(in[v]);
            for (int c = 1; c < k; c++) {
                nan |= Float.isNaN(in[c * voxels + v]);
                if (in[c * voxels + v] > in[best * voxels + v]) {
                    best = c;
                }
            }
            out[v] = nan ? Float.NaN : best;
        }
        return new Volume(new int[] {frames.nx(), frames.ny(), frames.nz()}, out, frames.affine());
    }

    private static Volume add(Volume a, Volume b) {
        float[] s = a.data().clone();
        float[] d = b.data();
        for (int i = 0; i < s.length; i++) {
            s[i] += d[i];
        }
        return a.withData(s);
    }
}
