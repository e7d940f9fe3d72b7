package org.brainfm.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.brainfm.chart.Plot;
import org.brainfm.metrics.Metric;
import org.brainfm.study.TaskRanking.Placed;

/**
 * What the entries of a task cost, one kind per axis so that no axis mixes kinds: parameters;
 * GPU-hours of the entries measured on a GPU; CPU device-hours (wall-clock hours times CPU
 * devices) of the entries measured on CPUs only. Compute is the records' measurement, summed over
 * the runs behind an entry's board score (scoring, finetuning, pretraining, each once).
 *
 * @param key     {@code parameters}, {@code gpu_hours} or {@code cpu_hours}
 * @param label   the axis label: exactly what is plotted
 * @param points  the entries plotted: cost against the task's headline metric
 * @param leftOff the entries not plotted, each with why
 */
public record Costs(String key, String label, List<Point> points, List<String> leftOff) {
    public static final String PARAMETERS = "parameters";
    public static final String GPU_HOURS = "gpu_hours";
    public static final String CPU_HOURS = "cpu_hours";

    /** What the axis plots, without its scale: {@code GPU-hours, measured}. */
    public String what() {
        return label.replace(" (log scale)", "");
    }

    /** One entry on a cost plot. */
    public record Point(Placed entry, double cost, double value) {}

    /** An entry's GPU-hours (any run on a GPU) or else its CPU device-hours: the one figure that compares. */
    static boolean onGpu(Placed p) {
        return p.row().gpuHours() > 0;
    }

    /** The three axes of a task's plots (an axis without points is kept, with why each entry is off it). */
    static List<Costs> of(List<Placed> rows, Metric metric) {
        List<Costs> out = new ArrayList<>();
        out.add(axis(PARAMETERS, "parameters (log scale)", rows, metric, p -> p.row().parameters() == null ? null
                : (double) p.row().parameters(), p -> "no parameter count recorded"));
        out.add(axis(GPU_HOURS, "GPU-hours, measured (log scale)", rows, metric,
                p -> onGpu(p) ? p.row().gpuHours() : null,
                p -> p.row().deviceHours() > 0 ? "measured on CPUs only (on the CPU plot)" : "no compute recorded"));
        out.add(axis(CPU_HOURS, "CPU device-hours (wall-clock × CPU devices), measured (log scale)", rows, metric,
                p -> !onGpu(p) && p.row().deviceHours() > 0 ? p.row().deviceHours() : null,
                p -> onGpu(p) ? "ran on a GPU (on the GPU-hours plot)" : "no compute recorded"));
        return out;
    }

    private static Costs axis(String key, String label, List<Placed> rows, Metric metric,
            java.util.function.Function<Placed, Double> cost, java.util.function.Function<Placed, String> whyNot) {
        List<Point> points = new ArrayList<>();
        List<String> leftOff = new ArrayList<>();
        for (Placed p : rows) {
            Double x = cost.apply(p);
            double y = p.value(metric);
            if (x == null || !(x > 0)) {
                leftOff.add(p.row().entry() + ": " + whyNot.apply(p));
            } else if (Double.isNaN(y)) {
                leftOff.add(p.row().entry() + ": no " + metric.label() + " on this task");
            } else {
                points.add(new Point(p, x, y));
            }
        }
        return new Costs(key, label, List.copyOf(points), List.copyOf(leftOff));
    }

    /**
     * The scatter plot of the headline metric against this cost on a log axis, one labelled mark
     * per entry (circles CNNs, triangles transformers, squares others), Pareto front drawn; null
     * without points.
     */
    public Plot plot(String taskId, Metric metric) {
        if (points.isEmpty()) {
            return null;
        }
        String what = what();
        List<Plot.Point> marks = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (Point p : points) {
            String entry = p.entry().row().entry();
            marks.add(new Plot.Point(p.cost(), p.value(), entry + " (" + p.entry().row().team() + "): " + metric.label()
                    + " " + metric.format(p.value()) + ", " + number(p.cost()) + " " + what, entry));
            families.add(p.entry().row().family().label());
        }
        List<Plot.Point> front = Plot.front(marks, metric.direction() == Metric.Direction.HIGHER);
        String description = "Scatter plot of " + metric.label() + " ("
                + (metric.direction() == Metric.Direction.HIGHER ? "higher" : "lower") + " is better) against " + what
                + " on a logarithmic axis, one labelled mark per entry on task " + taskId + " (" + marks.size()
                + " entries): circles are CNNs, triangles transformers, squares other families. "
                + (front.isEmpty() ? "" : "Pareto front (no entry is better with less): "
                + front.stream().map(Plot.Point::label).collect(Collectors.joining("; ")) + ".");
        return Plot.scatter("plot-" + key + "-" + Integer.toHexString(taskId.hashCode()),
                metric.label() + " against " + what + " on task " + taskId, description, label,
                metric.label() + (metric.unit().isEmpty() ? "" : " (" + metric.unit() + ")"),
                metric.direction() == Metric.Direction.HIGHER, marks, families);
    }

    /** A cost as a short number: 3 significant digits, or 18.9M for counts. */
    static String number(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        return String.format(Locale.ROOT, v >= 1000 ? "%.0f" : "%.3g", v);
    }
}
