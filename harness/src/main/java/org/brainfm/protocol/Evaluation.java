package org.brainfm.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Flag;
import org.brainfm.metrics.Grid;
import org.brainfm.metrics.Masks;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.Score;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.metrics.SegmentationScores;
import org.brainfm.metrics.Summary;
import org.brainfm.metrics.Task;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;

/**
 * Scores a task's test predictions with {@code org.brainfm.metrics} (docs/metrics.md) and turns
 * them into a result set: per-case values and aggregates with seeded bootstrap 95 % CIs.
 * Classification stores each case's probability, regression each case's prediction and absolute
 * error; their metrics are computed on the whole test set.
 */
public final class Evaluation {
    /** Per-case value names besides the task's metrics. */
    public static final String PROBABILITY = "probability";
    public static final String PREDICTION = "prediction";
    public static final String ABSOLUTE_ERROR = "absolute_error";
    private static final String ENTRY = "entry";

    private final int resamples;
    private final long seed;

    public Evaluation(int resamples, long seed) {
        this.resamples = resamples;
        this.seed = seed;
    }

    /**
     * Masks on the references' grids (null: no prediction, scored worst and flagged missing);
     * foreground is nonzero in both. A prediction off its reference's grid is an error.
     */
    public Results segmentation(List<String> caseIds, List<Volume> predictions, List<Path> references, List<Metric> metrics,
            double toleranceMm) {
        List<CaseScore> cases = new ArrayList<>();
        Map<Metric, double[][]> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            values.put(m, new double[1][caseIds.size()]);
        }
        for (int i = 0; i < caseIds.size(); i++) {
            Volume ref = NiftiReader.read(references.get(i));
            Volume pred = predictions.get(i);
            Grid grid = new Grid(new int[] {ref.nx(), ref.ny(), ref.nz()}, ref.spacing());
            boolean[] refMask = Masks.foreground(ref.data());
            SegmentationScores s;
            if (pred == null) {
                s = SegmentationMetrics.missing(refMask, grid, toleranceMm);
            } else {
                Grid.requireSame("prediction of " + caseIds.get(i), pred.shape(), pred.affine(),
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
        return new Results(cases, aggregates(Task.perCase("task", List.of(ENTRY), values), metrics, caseIds.size()));
    }

    /** Probabilities of class 1 (NaN: missing or invalid, scored worst) against 0/1 labels. */
    public Results classification(List<String> caseIds, double[] probabilities, double[] labels, List<Metric> metrics) {
        List<CaseScore> cases = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            cases.add(new CaseScore(caseIds.get(i), PROBABILITY, probabilities[i],
                    Double.isNaN(probabilities[i]) ? org.brainfm.records.Flag.INVALID : null));
        }
        Task task = Task.classification("task", List.of(ENTRY), labels, new double[][] {probabilities}, metrics);
        return new Results(cases, aggregates(task, metrics, caseIds.size()));
    }

    /** Predicted values (non-finite: scored worst) against the truth; metrics MAE and Pearson r. */
    public Results regression(List<String> caseIds, double[] predicted, double[] truth, List<Metric> metrics) {
        List<CaseScore> cases = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            boolean bad = !Double.isFinite(predicted[i]);
            org.brainfm.records.Flag flag = bad ? org.brainfm.records.Flag.INVALID : null;
            cases.add(new CaseScore(caseIds.get(i), PREDICTION, bad ? null : predicted[i], flag));
            cases.add(new CaseScore(caseIds.get(i), ABSOLUTE_ERROR, bad ? null : Math.abs(predicted[i] - truth[i]), flag));
        }
        Task task = Task.regression("task", List.of(ENTRY), truth, new double[][] {predicted});
        return new Results(cases, aggregates(task, metrics, caseIds.size()));
    }

    private List<AggregateScore> aggregates(Task task, List<Metric> metrics, int n) {
        List<AggregateScore> out = new ArrayList<>();
        for (Metric m : metrics) {
            Summary s = task.summary(0, m, resamples, seed);
            out.add(new AggregateScore(m.key(), s.value(), s.low(), s.high(), n));
        }
        return out;
    }

    private static org.brainfm.records.Flag flag(Flag flag) {
        return switch (flag) {
            case MISSING -> org.brainfm.records.Flag.MISSING;
            case INVALID -> org.brainfm.records.Flag.INVALID;
            default -> null;
        };
    }
}
