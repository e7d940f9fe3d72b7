package org.brainfm.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.data.Datasets;
import org.brainfm.data.Split;
import org.brainfm.data.TaskSpec;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.TaskType;
import org.brainfm.model.arch.Head;

/**
 * A downstream task of datasets.yaml as finetuning sees it: its type, the model head it needs,
 * its metrics, its seeds, the few-shot finetuning cases and fixed test cases of a seed, and the
 * folds of those finetuning cases.
 */
public final class TaskPlan {
    private final Datasets datasets;
    private final TaskSpec spec;

    public TaskPlan(Datasets datasets, String task) {
        this.datasets = datasets;
        this.spec = datasets.task(task);
    }

    public TaskSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public TaskType type() {
        return spec.type();
    }

    public Datasets datasets() {
        return datasets;
    }

    /**
     * Segmentation: background and each class (two for a binary task); classification: two
     * classes; regression: one target.
     */
    public Head head() {
        return switch (spec.type()) {
            case SEGMENTATION -> Head.segmentation(Math.max(2, classes().size() + 1));
            case CLASSIFICATION -> Head.classification(2);
            case REGRESSION -> Head.regression(1);
        };
    }

    /** A multi-class segmentation task's classes (label value k+1 is the k-th); empty for a binary task. */
    public List<String> classes() {
        return spec.labelClasses();
    }

    /** The contrasts a model gets, in channel order. */
    public List<String> inputs() {
        return spec.inputs();
    }

    /** The task's metrics (all of its type's when datasets.yaml lists none), as the metrics package names them. */
    public List<Metric> metrics() {
        List<String> names = spec.metrics() == null || spec.metrics().isEmpty() ? spec.type().metrics() : spec.metrics();
        return names.stream().map(TaskPlan::metric).toList();
    }

    /** A datasets.yaml metric name (e.g. {@code balanced-accuracy}) as a metric. */
    public static Metric metric(String name) {
        return switch (name) {
            case "average-precision" -> Metric.AVERAGE_PRECISION;
            default -> Metric.byKey(name.replace('-', '_'));
        };
    }

    /** The seeds datasets.yaml gives the task (one finetuning run each); {1} when none. */
    public List<Long> seeds() {
        return spec.seeds() == null || spec.seeds().isEmpty() ? List.of(1L) : spec.seeds();
    }

    public Split split(long seed) {
        return datasets.split(spec.name(), seed);
    }

    /**
     * The finetuning cases in {@code k} folds: dealt round-robin in their order, class by class
     * when {@code stratify} (each fold keeps the classes' shares). Fold f's model trains on the
     * other folds and validates on fold f.
     */
    public static List<List<Case>> folds(List<Case> cases, int k, boolean stratify) {
        if (k < 1) {
            throw new BrainfmException("--folds", "must be at least 1, not " + k);
        }
        if (k > 1 && k > cases.size()) {
            throw new BrainfmException("--folds", k + " folds need at least " + k + " finetuning cases, the task has " + cases.size());
        }
        List<List<Case>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        List<Case> order = new ArrayList<>(cases);
        if (stratify) {
            order.sort(Comparator.comparingDouble(Case::target));
        }
        for (int i = 0; i < order.size(); i++) {
            folds.get(i % k).add(order.get(i));
        }
        return folds;
    }

    /** The training cases of fold f: every case outside it (all cases with one fold). */
    public static <T> List<T> trainingCases(List<List<T>> folds, int f) {
        if (folds.size() == 1) {
            return folds.get(0);
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < folds.size(); i++) {
            if (i != f) {
                out.addAll(folds.get(i));
            }
        }
        return out;
    }

    /** How results name a case: subject/session. */
    public static String caseId(Case c) {
        return c.subject() + "/" + c.session();
    }
}
