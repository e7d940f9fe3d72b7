package org.brainfm.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;

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

    /**
     * A SHA-256 of what a score of seed {@code seed} on this task depends on: the task's definition
     * (type, datasets, inputs and stand-ins, label and classes, case counts, metrics; not its description), the
     * ids of its finetuning and test cases, and the bytes of every test case's input and label
     * files. A model finetuned under another hash would be scored on different data.
     */
    public String dataHash(long seed) {
        Split split = split(seed);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String definition = String.join("\n", "type " + spec.type(), "dataset " + spec.dataset(), "test-dataset "
                    + spec.testDatasetName(), "inputs " + spec.inputs(), "alternatives " + spec.alternatives(), "label " + spec.label(),
                    "classes " + spec.classes(), "finetune " + spec.finetune(), "test " + spec.test(), "metrics " + metrics(), "seed " + seed,
                    "finetune-cases " + split.finetune().stream().map(TaskPlan::caseId).toList(),
                    "test-cases " + split.test().stream().map(TaskPlan::caseId).toList());
            digest.update(definition.getBytes(StandardCharsets.UTF_8));
            byte[] buffer = new byte[1 << 16];
            for (Case c : split.test()) {
                List<Path> files = new ArrayList<>(c.inputs().values());
                if (c.label() != null) {
                    files.add(c.label());
                }
                for (Path f : files) {
                    try (InputStream in = Files.newInputStream(f)) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            digest.update(buffer, 0, n);
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new BrainfmException(name(), "a test case's file cannot be read: " + e.getMessage(), e);
        }
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
