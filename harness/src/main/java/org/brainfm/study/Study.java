package org.brainfm.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Holm;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.BoardRow;
import org.brainfm.records.Family;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;
import org.brainfm.study.TaskRanking.Placed;
import org.brainfm.study.TaskRanking.Ranked;

/**
 * The seed's headline tested on our records: on each task the best-placed CNN against the
 * best-placed transformer, on every metric the task has, with the paired {@link Difference};
 * the headline metric's p-values Holm-corrected across the tasks, a verdict only where the
 * interval excludes 0 and the corrected p is below 0.05; the ratios of parameters and of measured
 * hours (of one kind: GPU-hours when both ran on GPUs, CPU device-hours when both ran on CPUs
 * only); and each finding that contradicts the headline (the transformer better, smaller or
 * cheaper), said as such; and whether each task's best entry is above what a model that learnt
 * nothing scores ({@link Floor}).
 */
public record Study(List<TaskStudy> tasks, List<String> contradictions, double parameterRatio, double gpuHoursRatio,
        int resamples, int permutations, long seed) {
    /** Permutations per test: p resolves to 1e-4, enough for Holm over a handful of tasks at 0.05. */
    public static final int PERMUTATIONS = 10_000;

    /**
     * One task. {@code differences}: best CNN minus best transformer on each metric, the headline
     * first (its p Holm-corrected across tasks; the others' p as they are, descriptive).
     * {@code hoursRatio}: the transformer's hours over the CNN's, of {@code hoursUnit}; NaN with
     * {@code hoursWhyNot} when they do not compare. {@code floor}: what a model that learnt nothing
     * scores and whether the best entry clears it; null for an unscored task.
     */
    public record TaskStudy(TaskRow task, Metric headline, List<Metric> metrics, List<Placed> rows, Placed cnn,
            Placed transformer, Map<Metric, Difference> differences, double parameterRatio, double hoursRatio,
            String hoursUnit, String hoursWhyNot, List<Costs> costs, List<String> contradictions, Floor floor) {
        /** Whether any entry has a finished, shown scoring run on the task; an unscored task ranks nobody. */
        public boolean scored() {
            return !rows.isEmpty() && !metrics.isEmpty();
        }

        public boolean complete() {
            return cnn != null && transformer != null;
        }

        /** Best CNN minus best transformer on the headline metric; null without both. */
        public Difference difference() {
            return headline == null ? null : differences.get(headline);
        }

        TaskStudy with(Map<Metric, Difference> corrected, List<String> found) {
            return new TaskStudy(task, headline, metrics, rows, cnn, transformer, corrected, parameterRatio, hoursRatio,
                    hoursUnit, hoursWhyNot, costs, found, floor);
        }

        /** The headline verdict in words. */
        public String verdict() {
            if (!scored()) {
                return "unscored: no entry has a finished scoring run on this task";
            }
            if (!complete()) {
                return "no comparison: " + (cnn == null ? "no CNN" : "no transformer") + " with a " + headline.label()
                        + " on this task";
            }
            return difference().verdict("the CNN", "the transformer");
        }
    }

    /** The study of every task from the records' boards, with the default resamples, permutations and seed. */
    public static Study of(Records records) {
        Map<TaskRow, List<BoardRow>> boards = new LinkedHashMap<>();
        for (TaskRow t : records.catalog().tasks()) {
            boards.put(t, records.board().forTask(t.id()));
        }
        return of(records, boards, Bootstrap.DEFAULT_RESAMPLES, PERMUTATIONS, Bootstrap.DEFAULT_SEED);
    }

    /** The study of the given boards (each task's rows as {@code records.board()} gives them). */
    public static Study of(Records records, Map<TaskRow, List<BoardRow>> boards, int resamples, int permutations,
            long seed) {
        List<TaskStudy> raw = new ArrayList<>();
        for (Map.Entry<TaskRow, List<BoardRow>> b : boards.entrySet()) {
            raw.add(task(records, b.getKey(), TaskRanking.rank(b.getValue()), resamples, permutations, seed));
        }
        // Holm across the tasks' headline tests: the family the verdicts come from
        double[] adjusted = Holm.adjust(raw.stream()
                .mapToDouble(t -> t.difference() == null ? Double.NaN : t.difference().p()).toArray());
        List<TaskStudy> tasks = new ArrayList<>();
        List<String> contradictions = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            TaskStudy t = raw.get(i);
            Map<Metric, Difference> differences = new LinkedHashMap<>(t.differences());
            if (t.difference() != null) {
                differences.put(t.headline(), t.difference().adjusted(adjusted[i]));
            }
            TaskStudy corrected = t.with(Collections.unmodifiableMap(differences), List.of());
            List<String> found = contradictions(corrected);
            contradictions.addAll(found);
            tasks.add(corrected.with(corrected.differences(), List.copyOf(found)));
        }
        return new Study(List.copyOf(tasks), List.copyOf(contradictions),
                geometricMean(tasks.stream().mapToDouble(TaskStudy::parameterRatio).toArray()),
                geometricMean(tasks.stream().filter(t -> Costs.GPU_HOURS.equals(t.hoursUnit()))
                        .mapToDouble(TaskStudy::hoursRatio).toArray()),
                resamples, permutations, seed);
    }

    /** The metric a task's headline compares: Dice, accuracy (else balanced accuracy, AUROC), MAE. */
    public static Metric headline(TaskType type, List<Metric> metrics) {
        List<Metric> preferred = switch (type) {
            case SEGMENTATION -> List.of(Metric.DICE);
            case CLASSIFICATION -> List.of(Metric.ACCURACY, Metric.BALANCED_ACCURACY, Metric.AUROC);
            case REGRESSION -> List.of(Metric.MAE);
        };
        return preferred.stream().filter(metrics::contains).findFirst().orElse(metrics.isEmpty() ? null : metrics.get(0));
    }

    /** The best-placed entry of a family with a value on the metric. */
    static Placed best(List<Placed> rows, Family family, Metric metric) {
        return rows.stream().filter(r -> r.row().family() == family && !Double.isNaN(r.value(metric))).findFirst()
                .orElse(null);
    }

    private static TaskStudy task(Records records, TaskRow task, Ranked ranked, int resamples, int permutations,
            long seed) {
        List<Metric> metrics = ranked.metrics();
        Metric headline = headline(task.type(), metrics);
        if (ranked.rows().isEmpty() || headline == null) {
            return new TaskStudy(task, headline, metrics, ranked.rows(), null, null, Map.of(), Double.NaN, Double.NaN,
                    null, null, List.of(), List.of(), null);
        }
        Placed cnn = best(ranked.rows(), Family.CNN, headline);
        Placed transformer = best(ranked.rows(), Family.TRANSFORMER, headline);
        Map<Metric, Difference> differences = new LinkedHashMap<>();
        double parameters = Double.NaN;
        double hours = Double.NaN;
        String unit = null;
        String whyNot = null;
        if (cnn != null && transformer != null) {
            List<Metric> order = new ArrayList<>(List.of(headline));
            metrics.stream().filter(m -> m != headline).forEach(order::add);
            for (Metric m : order) {
                Placed c = best(ranked.rows(), Family.CNN, m);
                Placed t = best(ranked.rows(), Family.TRANSFORMER, m);
                if (c != null && t != null) {
                    differences.put(m, Difference.of(task.type(), m, CaseValues.read(records, task.id(), task.type(), m, c.row()),
                            CaseValues.read(records, task.id(), task.type(), m, t.row()), resamples, permutations, seed));
                }
            }
            Long pc = cnn.row().parameters();
            Long pt = transformer.row().parameters();
            parameters = pc == null || pt == null || pc == 0 ? Double.NaN : (double) pt / pc;
            boolean gc = Costs.onGpu(cnn);
            boolean gt = Costs.onGpu(transformer);
            if (gc && gt) {
                unit = Costs.GPU_HOURS;
                hours = transformer.row().gpuHours() / cnn.row().gpuHours();
            } else if (!gc && !gt && cnn.row().deviceHours() > 0 && transformer.row().deviceHours() > 0) {
                unit = Costs.CPU_HOURS;
                hours = transformer.row().deviceHours() / cnn.row().deviceHours();
            } else {
                whyNot = gc != gt ? "one was measured on a GPU and the other on CPUs only: the hours do not compare"
                        : "no compute recorded for one of them";
            }
        }
        return new TaskStudy(task, headline, metrics, ranked.rows(), cnn, transformer, differences, parameters, hours,
                unit, whyNot, Costs.of(ranked.rows(), headline), List.of(),
                Floor.of(records, task.id(), task.type(), metrics, ranked.rows()));
    }

    /** What on this task goes against the headline (the CNN better, with fewer parameters and less compute). */
    private static List<String> contradictions(TaskStudy t) {
        List<String> out = new ArrayList<>();
        if (!t.complete()) {
            return out;
        }
        String task = "task " + t.task().id();
        Difference d = t.difference();
        if (d.secondBetter()) {
            out.add(task + ": the transformer is better on " + d.metric().label() + " (" + d.evidence() + ")");
        }
        for (Difference other : t.differences().values()) {
            if (other != d && other.secondBetter()) {
                out.add(task + ": the transformer is better on " + other.metric().label() + " (" + other.evidence()
                        + ", not corrected)");
            }
        }
        if (t.parameterRatio() < 1) {
            out.add(task + ": the transformer has fewer parameters (" + ratio(t.parameterRatio()) + " the CNN's)");
        }
        if (t.hoursRatio() < 1) {
            out.add(task + ": the transformer was cheaper (" + ratio(t.hoursRatio()) + " the CNN's "
                    + (Costs.GPU_HOURS.equals(t.hoursUnit()) ? "GPU-hours" : "CPU device-hours") + ")");
        }
        return out;
    }

    /** A ratio as people read it: {@code 12×}, {@code 0.42×}. */
    public static String ratio(double r) {
        if (Double.isNaN(r)) {
            return "—";
        }
        return (r >= 10 ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.2g", r)) + "×";
    }

    private static double geometricMean(double[] values) {
        double log = 0;
        int n = 0;
        for (double x : values) {
            if (x > 0 && Double.isFinite(x)) {
                log += Math.log(x);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(log / n);
    }
}
