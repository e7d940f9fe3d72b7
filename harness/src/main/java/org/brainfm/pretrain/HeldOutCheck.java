package org.brainfm.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.brainfm.data.Session;
import org.brainfm.loss.Losses;
import org.brainfm.model.layer.Pass;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.tensor.Tensors;

/**
 * Checks that pretraining learned something, on sessions it never saw: the masked
 * reconstruction error against predicting the mean intensity (every masked voxel set to the
 * mean of the patch's visible voxels: what a model that learned nothing but the patch's mean
 * could do; the masked voxels' own mean would be an oracle that knows the answer), and, for
 * the cross-contrast model, whether the subject codes of two contrasts of one session are
 * closer (cosine) than those of two different subjects.
 *
 * @param maskedError            mean squared error of the reconstruction on masked voxels
 * @param meanBaselineError      the same for predicting each patch's masked voxels by the mean of its visible voxels
 * @param sameSessionCosine      mean cosine of the subject codes of two contrasts of one session (NaN when not applicable)
 * @param otherSubjectCosine     mean cosine of subject codes of different subjects (NaN when not applicable)
 * @param cosineDifference       {@code sameSessionCosine - otherSubjectCosine}: how much closer a session's two codes are
 * @param permutationP           the chance of a difference at least as large when the second codes are dealt to the
 *                               sessions at random: (b + 1) / (m + 1) over {@value #PERMUTATIONS} permutations
 *                               (Phipson and Smyth); NaN when not applicable
 * @param patches                patches evaluated
 */
public record HeldOutCheck(double maskedError, double meanBaselineError, double sameSessionCosine, double otherSubjectCosine,
        double cosineDifference, double permutationP, int patches) {
    /** Sessions evaluated at most. */
    static final int SESSIONS = 16;
    /** Permutations of the null of the subject-code test. */
    static final int PERMUTATIONS = 10_000;

    public double errorRatio() {
        return maskedError / meanBaselineError;
    }

    public static HeldOutCheck of(Objective objective, Corpus heldOut, PretrainSettings settings, NDManager manager, long seed) {
        Pass pass = new Pass(new ParameterStore(manager, false), false);
        SplittableRandom random = new SplittableRandom(seed);
        List<Session> sessions = heldOut.sessions().subList(0, Math.min(SESSIONS, heldOut.sessions().size()));
        double error = 0;
        double baseline = 0;
        int count = 0;
        int[] size = settings.patch();
        Shape shape = new Shape(1, 1, size[2], size[1], size[0]);
        double ratio = (settings.maskLow() + settings.maskHigh()) / 2;
        for (Session s : sessions) {
            for (String contrast : s.contrasts().keySet().stream().sorted().toList()) {
                float[] image = heldOut.centre(s, List.of(contrast), size).image();
                float[] mask = BlockMasks.blocks(size, settings.maskUnit(), ratio, random);
                // The model works in units of the visible voxels' spread (Batches.standardise); a
                // squared error in raw intensities is sd^2 times one in those units, and the
                // visible voxels' mean is 0 there.
                double sd = Batches.standardise(image, mask, 0, image.length)[1];
                try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
                    NDArray x = Tensors.copyOf(m, image, shape);
                    NDArray w = Tensors.copyOf(m, mask, shape);
                    NDArray y = objective.reconstruct(pass, x.mul(Tensors.plus(w.neg(), 1)));
                    error += sd * sd * Losses.mse(y, x, w).getFloat();
                    baseline += sd * sd * Losses.mse(x.zerosLike(), x, w).getFloat();
                }
                count++;
            }
        }
        double same = Double.NaN;
        double other = Double.NaN;
        double difference = Double.NaN;
        double p = Double.NaN;
        if (objective instanceof CrossContrastSwap swap) {
            List<Session> multi = sessions.stream().filter(s -> s.contrasts().size() >= 2).toList();
            List<float[][]> codes = new ArrayList<>();
            for (Session s : multi) {
                List<String> two = s.contrasts().keySet().stream().sorted().limit(2).toList();
                float[][] pair = new float[2][];
                for (int k = 0; k < 2; k++) {
                    float[] image = heldOut.centre(s, List.of(two.get(k)), size).image();
                    Batches.standardise(image, new float[image.length], 0, image.length);
                    try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
                        pair[k] = swap.subjectCodes(pass, Tensors.copyOf(m, image, shape)).toFloatArray();
                    }
                }
                codes.add(pair);
            }
            List<String> subjects = multi.stream().map(Session::subject).toList();
            double[] raw = sessionCosines(codes, subjects);
            same = raw[0];
            other = raw[1];
            difference = same - other;
            p = permutationP(codes, subjects, PERMUTATIONS, seed);
        }
        return new HeldOutCheck(error / count, baseline / count, same, other, difference, p, count);
    }

    /**
     * {mean cosine of the two codes of each session, mean cosine of codes of different subjects}
     * (NaN where none); {@code codes} holds each session's pair, {@code subjects} its subject.
     */
    static double[] sessionCosines(List<float[][]> codes, List<String> subjects) {
        double sameSum = 0;
        double otherSum = 0;
        int others = 0;
        for (int i = 0; i < codes.size(); i++) {
            sameSum += cosine(codes.get(i)[0], codes.get(i)[1]);
            for (int j = 0; j < codes.size(); j++) {
                if (!subjects.get(i).equals(subjects.get(j))) {
                    otherSum += cosine(codes.get(i)[0], codes.get(j)[1]);
                    others++;
                }
            }
        }
        return new double[] {codes.isEmpty() ? Double.NaN : sameSum / codes.size(), others == 0 ? Double.NaN : otherSum / others};
    }

    /**
     * The permutation test of the same-session cosine: under the null that a code says nothing of
     * its session, the second codes may be dealt to the sessions in any order. The statistic is the
     * mean cosine of each session's first code with the second code dealt to it (the other-subject
     * mean does not depend on the deal); p = (b + 1) / (m + 1), b the permutations at least as large
     * as the observed. A raw or centred cosine alone says little: every code shares a large common
     * part, and centring on the held-out mean forces the average pairwise cosine towards -1/(n-1).
     */
    static double permutationP(List<float[][]> codes, List<String> subjects, int permutations, long seed) {
        int n = codes.size();
        if (n < 2 || Double.isNaN(sessionCosines(codes, subjects)[1])) {
            return Double.NaN;
        }
        double[][] cos = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cos[i][j] = cosine(codes.get(i)[0], codes.get(j)[1]);
            }
        }
        double observed = 0;
        for (int i = 0; i < n; i++) {
            observed += cos[i][i];
        }
        int[] deal = new int[n];
        SplittableRandom random = new SplittableRandom(seed);
        int atLeast = 0;
        for (int m = 0; m < permutations; m++) {
            for (int i = 0; i < n; i++) {
                deal[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int t = deal[i];
                deal[i] = deal[k];
                deal[k] = t;
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += cos[i][deal[i]];
            }
            // a relative tolerance: the identity deal must count as "at least as large" despite rounding
            if (sum >= observed - 1e-9 * Math.abs(observed)) {
                atLeast++;
            }
        }
        return (atLeast + 1.0) / (permutations + 1.0);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb + 1e-30);
    }
}
