package org.brainfm.metrics;

/**
 * Regression metrics over a test set (brain age: years). A non-finite prediction (invalid, or
 * a missing one passed as NaN) is replaced by the worst bounded guess: whichever end of the
 * test set's true range lies farther from the case's true value.
 */
public final class RegressionMetrics {
    private RegressionMetrics() {}

    public static RegressionScores score(double[] predicted, double[] truth) {
        double[] p = withWorst(predicted, truth);
        int invalid = 0;
        for (double v : predicted) {
            if (!Double.isFinite(v)) {
                invalid++;
            }
        }
        Flag flag = invalid > 0 ? Flag.INVALID : Flag.OK;
        return new RegressionScores(ClassificationMetrics.flagged(mae(p, truth), flag),
                ClassificationMetrics.flagged(pearson(p, truth), flag), invalid);
    }

    /** The predictions with every non-finite one replaced by the farther end of the true range. */
    public static double[] withWorst(double[] predicted, double[] truth) {
        check(predicted, truth);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double t : truth) {
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
        }
        double[] p = predicted.clone();
        for (int i = 0; i < p.length; i++) {
            if (!Double.isFinite(p[i])) {
                p[i] = truth[i] - lo >= hi - truth[i] ? lo : hi;
            }
        }
        return p;
    }

    /** Mean absolute error. */
    public static double mae(double[] predicted, double[] truth) {
        check(predicted, truth);
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum += Math.abs(predicted[i] - truth[i]);
        }
        return sum / truth.length;
    }

    /** Pearson's correlation; NaN (undefined) with fewer than 2 cases or a constant side. */
    public static double pearson(double[] predicted, double[] truth) {
        check(predicted, truth);
        int n = truth.length;
        double mp = Stats.mean(predicted);
        double mt = Stats.mean(truth);
        double spt = 0;
        double spp = 0;
        double stt = 0;
        for (int i = 0; i < n; i++) {
            double dp = predicted[i] - mp;
            double dt = truth[i] - mt;
            spt += dp * dt;
            spp += dp * dp;
            stt += dt * dt;
        }
        if (n < 2 || spp == 0 || stt == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, spt / Math.sqrt(spp * stt)));
    }

    private static void check(double[] predicted, double[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " true values");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no cases to score");
        }
        for (int i = 0; i < truth.length; i++) {
            if (!Double.isFinite(truth[i])) {
                throw new IllegalArgumentException("true value of case " + i + " is " + truth[i]);
            }
        }
    }
}
