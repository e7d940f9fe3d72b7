package org.brainfm.metrics;

import java.util.Arrays;

/**
 * Binary classification metrics over a test set: labels are 0 or 1, scores are the predicted
 * probability of class 1. Accuracy, balanced accuracy and F1 call a case positive when its
 * score is at least {@link #THRESHOLD}. A NaN score (invalid, or a missing prediction) is
 * replaced by the worst one: -infinity for a positive case, +infinity for a negative one, so
 * it is ranked and classified wrong.
 */
public final class ClassificationMetrics {
    /** Scores at or above this are predicted positive. */
    public static final double THRESHOLD = 0.5;

    private ClassificationMetrics() {}

    public static ClassificationScores score(double[] scores, double[] labels) {
        boolean[] positive = positives(scores, labels);
        double[] s = withWorst(scores, positive);
        int invalid = 0;
        for (double v : scores) {
            if (Double.isNaN(v)) {
                invalid++;
            }
        }
        Flag flag = invalid > 0 ? Flag.INVALID : Flag.OK;
        return new ClassificationScores(
                flagged(auroc(s, positive), flag), flagged(accuracy(s, positive), flag),
                flagged(balancedAccuracy(s, positive), flag), flagged(f1(s, positive), flag),
                flagged(averagePrecision(s, positive), flag), invalid);
    }

    /** Validates 0/1 labels against the scores and returns which cases are positive. */
    public static boolean[] positives(double[] scores, double[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " labels");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no cases to score");
        }
        boolean[] positive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label of case " + i + " is " + labels[i] + ", not 0 or 1");
            }
            positive[i] = labels[i] == 1;
        }
        return positive;
    }

    /** The scores with every NaN replaced by the worst score for its case's class. */
    public static double[] withWorst(double[] scores, boolean[] positive) {
        double[] s = scores.clone();
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i])) {
                s[i] = positive[i] ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        return s;
    }

    /**
     * Area under the ROC curve: tied scores form one ROC point, points joined by the trapezoid
     * rule. NaN (undefined) unless both classes are present.
     */
    public static double auroc(double[] scores, boolean[] positive) {
        Curve c = new Curve(scores, positive);
        if (c.pos.length == 0 || c.neg.length == 0) {
            return Double.NaN;
        }
        double area = 0;
        int tpPrev = 0;
        int fpPrev = 0;
        while (c.next()) {
            area += (c.fp - fpPrev) * (double) (c.tp + tpPrev) / 2;
            tpPrev = c.tp;
            fpPrev = c.fp;
        }
        return area / ((double) c.pos.length * c.neg.length);
    }

    /**
     * Average precision, sklearn's definition: sum over the distinct score thresholds, from the
     * highest, of (R_n - R_{n-1}) P_n. NaN (undefined) without positive cases.
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        Curve c = new Curve(scores, positive);
        if (c.pos.length == 0) {
            return Double.NaN;
        }
        double ap = 0;
        int tpPrev = 0;
        while (c.next()) {
            ap += (double) (c.tp - tpPrev) / c.pos.length * c.tp / (c.tp + c.fp);
            tpPrev = c.tp;
        }
        return ap;
    }

    public static double accuracy(double[] scores, boolean[] positive) {
        int[] m = confusion(scores, positive);
        return (double) (m[0] + m[3]) / scores.length;
    }

    /** The mean recall over the classes present in the labels. */
    public static double balancedAccuracy(double[] scores, boolean[] positive) {
        int[] m = confusion(scores, positive);
        int tp = m[0];
        int fp = m[1];
        int fn = m[2];
        int tn = m[3];
        double sum = 0;
        int classes = 0;
        if (tp + fn > 0) {
            sum += (double) tp / (tp + fn);
            classes++;
        }
        if (tn + fp > 0) {
            sum += (double) tn / (tn + fp);
            classes++;
        }
        return sum / classes;
    }

    /** F1 = 2TP / (2TP + FP + FN); NaN (undefined) when there is no positive case and no positive prediction. */
    public static double f1(double[] scores, boolean[] positive) {
        int[] m = confusion(scores, positive);
        int denominator = 2 * m[0] + m[1] + m[2];
        return denominator == 0 ? Double.NaN : 2.0 * m[0] / denominator;
    }

    /** {TP, FP, FN, TN} at {@link #THRESHOLD}. */
    private static int[] confusion(double[] scores, boolean[] positive) {
        if (scores.length != positive.length || scores.length == 0) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        int[] m = new int[4];
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= THRESHOLD;
            m[positive[i] ? (predicted ? 0 : 2) : (predicted ? 1 : 3)]++;
        }
        return m;
    }

    static Score flagged(double value, Flag flag) {
        return Double.isNaN(value) ? Score.undefined() : new Score(value, flag);
    }

    /**
     * Walks the score thresholds from the highest down, one step per distinct score, keeping
     * the cumulative true and false positives.
     */
    private static final class Curve {
        final double[] pos;
        final double[] neg;
        int i;
        int j;
        int tp;
        int fp;

        Curve(double[] scores, boolean[] positive) {
            if (scores.length != positive.length) {
                throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
            }
            int np = 0;
            for (boolean p : positive) {
                if (p) {
                    np++;
                }
            }
            pos = new double[np];
            neg = new double[scores.length - np];
            int a = 0;
            int b = 0;
            for (int k = 0; k < scores.length; k++) {
                if (Double.isNaN(scores[k])) {
                    throw new IllegalArgumentException("score of case " + k + " is NaN");
                }
                if (positive[k]) {
                    pos[a++] = scores[k];
                } else {
                    neg[b++] = scores[k];
                }
            }
            Arrays.sort(pos);
            Arrays.sort(neg);
            i = pos.length; // pos[i..] and neg[j..] are already above the threshold
            j = neg.length;
        }

        /** Lowers the threshold to the next distinct score; false when none is left. */
        boolean next() {
            if (i == 0 && j == 0) {
                return false;
            }
            double t = Math.max(i > 0 ? pos[i - 1] : Double.NEGATIVE_INFINITY, j > 0 ? neg[j - 1] : Double.NEGATIVE_INFINITY);
            while (i > 0 && pos[i - 1] == t) {
                i--;
                tp++;
            }
            while (j > 0 && neg[j - 1] == t) {
                j--;
                fp++;
            }
            return true;
        }
    }
}
