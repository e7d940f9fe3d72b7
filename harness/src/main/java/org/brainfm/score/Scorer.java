package org.brainfm.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.metrics.ClassScores;
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
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;

/**
 * Scores a task's test predictions with {@code org.brainfm.metrics} (docs/metrics.md) and turns
 * them into a result set: per-case values and aggregates with seeded bootstrap 95 % CIs.
 * Classification stores each case's probability, regression each case's prediction and absolute
 * error; their metrics are computed on the whole test set, so the probability's and the
 * prediction's rows carry the case's reference too (paired tests between entries recompute them).
 */
public final class Scorer {
    /** A regression case's per-case value besides its prediction. */
    public static final String ABSOLUTE_ERROR = "absolute_error";
    private static final String ENTRY = "entry";

    private final int resamples;
    private final long seed;
    /** Where segmentations are written as they are predicted; null: nowhere. */
    private final Path predictions;

    public Scorer(int resamples, long seed) {
        this(resamples, seed, null);
    }

    private Scorer(int resamples, long seed, Path predictions) {
        this.resamples = resamples;
        this.seed = seed;
        this.predictions = predictions;
    }

    /**
     * Predicts every test case of {@code task} with {@code predictor} (the models averaged) and
     * scores the predictions against their labels with the task's metrics.
     */
    public ResultSet score(CasePredictor predictor, List<? extends PatchModel> models, TaskPlan task, List<Case> test) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to predict with");
        }
        List<String> ids = test.stream().map(TaskPlan::caseId).toList();
        List<Metric> metrics = task.metrics();
        Preprocessing preprocessing = predictor.preprocessing();
        return switch (predictor.type()) {
            case SEGMENTATION -> segmentation(ids, i -> keep(ids.get(i), predictor.segment(models, preprocessing.load(test.get(i), false))),
                    test.stream().map(Case::label).toList(), task.classes(), metrics, SegmentationMetrics.DEFAULT_TOLERANCE_MM);
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

    /**
     * The same scorer, also writing each segmentation it predicts into {@code folder} as
     * {@code <subject>_<session>.nii.gz} on the case's input grid and affine (uint8 labels), as a
     * FOMO25 container hands its masks in.
     */
    public Scorer keepingPredictionsIn(Path folder) {
        return new Scorer(resamples, seed, folder);
    }

    private Volume keep(String caseId, Volume prediction) {
        if (predictions != null) {
            try {
                Files.createDirectories(predictions);
            } catch (IOException e) {
                throw new BrainfmException(predictions.toString(), "cannot be created: " + e.getMessage(), e);
            }
            NiftiWriter.write(prediction, predictions.resolve(caseId.replace('/', '_') + ".nii.gz"),
                    Masks.hasNaN(prediction.data()) ? NiftiDatatype.FLOAT32 : NiftiDatatype.UINT8);
        }
        return prediction;
    }

    /** Binary masks on the references' grids, as {@link #segmentation(List, IntFunction, List, List, List, double)} with a list. */
    public ResultSet segmentation(List<String> caseIds, List<Volume> predictions, List<Path> references, List<Metric> metrics,
            double toleranceMm) {
        return segmentation(caseIds, predictions::get, references, List.of(), metrics, toleranceMm);
    }

    /** Binary masks, as {@link #segmentation(List, IntFunction, List, List, List, double)} without classes. */
    public ResultSet segmentation(List<String> caseIds, IntFunction<Volume> predictions, List<Path> references,
            List<Metric> metrics, double toleranceMm) {
        return segmentation(caseIds, predictions, references, List.of(), metrics, toleranceMm);
    }

    /**
     * Segmentations on the references' grids, made or read one case at a time (null: no
     * prediction, scored worst and flagged missing). Without {@code classes} a mask: foreground is
     * nonzero in both. With K classes a label map (0..K, class k+1 being {@code classes[k]}):
     * each metric is stored per class ({@code dice_csf}) and as the mean over the classes under its
     * own key ({@link ClassScores}); a reference with another value is an error, a prediction with
     * one is invalid. A prediction off its reference's grid is an error.
     */
    public ResultSet segmentation(List<String> caseIds, IntFunction<Volume> predictions, List<Path> references,
            List<String> classes, List<Metric> metrics, double toleranceMm) {
        List<CaseScore> cases = new ArrayList<>();
        Map<Metric, double[][]> values = values(metrics, caseIds.size());
        List<Map<Metric, double[][]>> classValues = new ArrayList<>();
        classes.forEach(c -> classValues.add(values(metrics, caseIds.size())));
        for (int i = 0; i < caseIds.size(); i++) {
            Volume ref = NiftiReader.read(references.get(i));
            Volume pred = predictions.apply(i);
            DistanceGrid grid = new DistanceGrid(new int[] {ref.nx(), ref.ny(), ref.nz()}, ref.spacing());
            if (pred != null) {
                DistanceGrid.requireSame("prediction of " + caseIds.get(i), pred.shape(), pred.affine(),
                        references.get(i).toString(), ref.shape(), ref.affine());
            }
            SegmentationScores s;
            List<SegmentationScores> perClass = List.of();
            String reason = null;
            if (classes.isEmpty()) {
                boolean[] refMask = Masks.foreground(ref.data());
                s = pred == null ? SegmentationMetrics.missing(refMask, grid, toleranceMm)
                        : Masks.hasNaN(pred.data()) ? SegmentationMetrics.invalid(refMask, grid, toleranceMm)
                        : SegmentationMetrics.score(Masks.foreground(pred.data()), refMask, grid, toleranceMm);
            } else {
                int k = classes.size();
                String badRef = nonLabel(ref, k);
                if (badRef != null) {
                    throw new BrainfmException(references.get(i).toString(), badRef + "; the task's " + k + " classes ("
                            + String.join(", ", classes) + ") are labels 1 to " + k + ", 0 the background");
                }
                reason = pred == null ? null : nonLabel(pred, k);
                ClassScores c = pred == null ? ClassScores.worst(ref.data(), k, grid, toleranceMm, Flag.MISSING)
                        : reason != null ? ClassScores.worst(ref.data(), k, grid, toleranceMm, Flag.INVALID)
                        : ClassScores.of(pred.data(), ref.data(), k, grid, toleranceMm);
                s = c.mean();
                perClass = c.perClass();
            }
            for (Metric m : metrics) {
                Score score = pick(s, m);
                values.get(m)[0][i] = score.value();
                CaseScore row = new CaseScore(caseIds.get(i), m.key(), score.value(), flag(score.flag()));
                cases.add(reason == null ? row : row.because("the prediction " + reason));
                for (int k = 0; k < perClass.size(); k++) {
                    Score c = pick(perClass.get(k), m);
                    classValues.get(k).get(m)[0][i] = c.value();
                    cases.add(new CaseScore(caseIds.get(i), m.key(classes.get(k)), c.value(), flag(c.flag())));
                }
            }
        }
        List<AggregateScore> aggregates = new ArrayList<>(aggregates(TaskScores.perCase("task", List.of(ENTRY), values), metrics,
                caseIds.size()));
        for (int k = 0; k < classes.size(); k++) {
            String name = classes.get(k);
            aggregates(TaskScores.perCase("task", List.of(ENTRY), classValues.get(k)), metrics, caseIds.size()).forEach(a ->
                    aggregates.add(new AggregateScore(Metric.byKey(a.metric()).key(name), a.score(), a.ciLow(), a.ciHigh(), a.n())));
        }
        return new ResultSet(cases, aggregates);
    }

    private static Map<Metric, double[][]> values(List<Metric> metrics, int cases) {
        Map<Metric, double[][]> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            values.put(m, new double[1][cases]);
        }
        return values;
    }

    private static Score pick(SegmentationScores s, Metric m) {
        return switch (m) {
            case DICE -> s.dice();
            case NSD -> s.nsd();
            case HD95 -> s.hd95();
            default -> throw new IllegalArgumentException(m.key() + " is not a segmentation metric");
        };
    }

    /** What is wrong with a label map of {@code classes} classes (its first voxel that is no label), or null. */
    private static String nonLabel(Volume v, int classes) {
        int i = Masks.firstNonLabel(v.data(), classes);
        if (i < 0) {
            return null;
        }
        int plane = v.nx() * v.ny();
        return "holds " + v.data()[i] + " at voxel (" + i % v.nx() + ", " + (i / v.nx()) % v.ny() + ", " + i / plane + ")";
    }

    /** Probabilities of class 1 (NaN: missing or invalid, scored worst) against 0/1 labels. */
    public ResultSet classification(List<String> caseIds, double[] probabilities, double[] labels, List<Metric> metrics) {
        List<CaseScore> cases = new ArrayList<>();
        for (int i = 0; i < caseIds.size(); i++) {
            cases.add(new CaseScore(caseIds.get(i), CaseScore.PROBABILITY, probabilities[i],
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
            cases.add(new CaseScore(caseIds.get(i), CaseScore.PREDICTION, bad ? null : predicted[i], flag).withTruth(truth[i]));
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
