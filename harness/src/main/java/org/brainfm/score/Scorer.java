package org.brainfm.score;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.brainfm.data.Case;
import org.brainfm.metrics.DistanceGrid;
import org.brainfm.metrics.Flag;
import org.brainfm.metrics.Masks;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.Score;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.metrics.SegmentationScores;
import org.brainfm.metrics.Summary;
import org.brainfm.metrics.TaskScores;
import org.brainfm.plan.Preprocessing;
import org.brainfm.plan.TaskPlan;
import org.brainfm.predict.CasePredictor;
import org.brainfm.predict.PatchModel;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;

/**
 * Scores a task's test predictions with {@code org.brainfm.metrics} (docs/metrics.md) and turns
 * them into a result set: per-case values and aggregates with seeded bootstrap 95 % CIs.
 * Classification stores each case's probability, regression each case's prediction and absolute
 * error; their metrics are computed on the whole test set, so the probability's and the
 * prediction's rows carry the case's reference too (paired tests between entries recompute them).
 */
public final class Scorer {
    /** Per-case value names besides the task's metrics. */
    public static final String PROBABILITY = "probability";
    public static final String PREDICTION = "prediction";
    public static final String ABSOLUTE_ERROR = "absolute_error";
    private static final String ENTRY = "entry";

    private final int resamples;
    private final long seed;

    public Scorer(int resamples, long seed) {
        this.resamples = resamples;
        this.seed = seed;
    }

    /** Predicts every test case with {@code predictor} (the models averaged) and scores the predictions against their labels. */
    public ResultSet score(CasePredictor predictor, List<? extends PatchModel> models, List<Case> test, List<Metric> metrics) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to predict with");
        }
        List<String> ids = test.stream().map(TaskPlan::caseId).toList();
        Preprocessing preprocessing = predictor.preprocessing();
        return switch (predictor.type()) {
            case SEGMENTATION -> {
                yield segmentation(ids, i -> predictor.segment(models, preprocessing.load(test.get(i), false)),
                        test.stream().map(Case::label).toList(), metrics, SegmentationMetrics.DEFAULT_TOLERANCE_MM);
            }
            case CLASSIFICATION -> {
                double[] p = new double[test.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = predictor.classify(models, preprocessing.load(test.get(i), false));
                }
                yield classification(ids, p, test.stream().mapToDouble(Case::target).toArray(), metrics);
            }
            case REGRESSION -> {
                double[] p = new double[test.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = predictor.regress(models, preprocessing.load(test.get(i), false));
                }
                yield regression(ids, p, test.stream().mapToDouble(Case::target).toArray(), metrics);
            }
        };
    }

    /** Masks on the references' grids, as {@link #segmentation(List, IntFunction, List, List, double)} with a list. */
    public ResultSet segmentation(List<String> caseIds, List<Volume> predictions, List<Path> references, List<Metric> metrics,
            double toleranceMm) {
        return segmentation(caseIds, predictions::get, references, metrics, toleranceMm);
    }

    /**
     * Masks on the references' grids, made or read one case at a time (null: no prediction,
     * scored worst and flagged missing); foreground is nonzero in both. A prediction off its
     * reference's grid is an error.
     */
    public ResultSet segmentation(List<String> caseIds, IntFunction<Volume> predictions, List<Path> references,
            List<Metric> metrics, double toleranceMm) {
        List<CaseScore> cases = new ArrayList<>();
        Map<Metric, double[][]> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            values.put(m, new double[1][caseIds.size()]);
        }
        for (int i = 0; i < caseIds.size(); i++) {
            Volume ref = NiftiReader.read(references.get(i));
            Volume pred = predictions.apply(i);
            DistanceGrid grid = new DistanceGrid(new int[] {ref.nx(), ref.ny(), ref.nz()}, ref.spacing());
            boolean[] refMask = Masks.foreground(ref.data());
            SegmentationScores s;
            if (pred == null) {
                s = SegmentationMetrics.missing(refMask, grid, toleranceMm);
            } else {
                DistanceGrid.requireSame("prediction of " + caseIds.get(i), pred.shape(), pred.affine(),
                        references.get(i).toString(), ref.shape(), ref.affine());
                s = Masks.hasNaN(pred.data()) ? SegmentationMetrics.invalid(refMask, grid, toleranceMm)
                        : SegmentationMetrics.score(Masks.foreground(pred.data()), refMask, grid, toleranceMm);
            }
            for (Metric m : metrics) {
                Score score = switch (m) {
                    case DICE -> s.dice();
                    case NSD -> s.nsd();
                    case HD95 -> s.hd95();
                    default -> throw new IllegalArgumentException(m.key() + " is not a segmentation metric");
                };
                values.get(m)[0][i] = score.value();
                cases.add(new CaseScore(caseIds.get(i), m.key(), score.value(), flag(score.flag())));
            }
        }
        return new ResultSet(cases, aggregates(TaskScores.perCase("task", List.of(ENTRY), values), metrics, caseIds.size()));
    }

    /** Probabilities of class 1 (NaN: missing or invalid, scored worst) against 0/1 labels. */
    public ResultSet classification(List<String> caseIds, double[] probabilities, double[] labels, List<Metric> metrics) {
        List<CaseScore> cases = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            cases.add(new CaseScore(caseIds.get(i), PROBABILITY, probabilities[i],
                    Double.isNaN(probabilities[i]) ? CaseFlag.INVALID : null).withTruth(labels[i]));
        }
        TaskScores task = TaskScores.classification("task", List.of(ENTRY), labels, new double[][] {probabilities}, metrics);
        return new ResultSet(cases, aggregates(task, metrics, caseIds.size()));
    }

    /** Predicted values (non-finite: scored worst) against the truth; metrics MAE and Pearson r. */
    public ResultSet regression(List<String> caseIds, double[] predicted, double[] truth, List<Metric> metrics) {
        List<CaseScore> cases = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            boolean bad = !Double.isFinite(predicted[i]);
            CaseFlag flag = bad ? CaseFlag.INVALID : null;
            cases.add(new CaseScore(caseIds.get(i), PREDICTION, bad ? null : predicted[i], flag).withTruth(truth[i]));
            cases.add(new CaseScore(caseIds.get(i), ABSOLUTE_ERROR, bad ? null : Math.abs(predicted[i] - truth[i]), flag));
        }
        TaskScores task = TaskScores.regression("task", List.of(ENTRY), truth, new double[][] {predicted});
        return new ResultSet(cases, aggregates(task, metrics, caseIds.size()));
    }

    private List<AggregateScore> aggregates(TaskScores task, List<Metric> metrics, int n) {
        List<AggregateScore> out = new ArrayList<>();
        for (Metric m : metrics) {
            Summary s = task.summary(0, m, resamples, seed);
            out.add(new AggregateScore(m.key(), s.value(), s.low(), s.high(), n));
        }
        return out;
    }

    private static CaseFlag flag(Flag flag) {
        return switch (flag) {
            case MISSING -> CaseFlag.MISSING;
            case INVALID -> CaseFlag.INVALID;
            default -> null;
        };
    }
}
