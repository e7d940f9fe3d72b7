package org.brainfm.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.brainfm.metrics.Metric;
import org.brainfm.records.Family;
import org.brainfm.records.TaskRow;

/**
 * The seed's headline from the records: on each task, the best-placed CNN against the
 * best-placed transformer on the task's headline metric (Dice for segmentation, accuracy for
 * classification, MAE for regression), and how many times the transformer's parameters and
 * measured compute the CNN's are; with scatter plots of every entry's score against its size
 * and its compute, Pareto front drawn.
 */
public record Comparison(List<Matchup> matchups, List<Headline> headlines, double parameterRatio,
        double computeRatio) {
    /**
     * One task. {@code difference} is CNN minus transformer on {@code metric} (NaN without
     * both families); the ratios are transformer over CNN, of GPU-hours when both ran on GPUs
     * ({@code computeOnGpu}), else of device-hours.
     */
    public record Matchup(TaskRow task, Metric metric, TaskStanding cnn, TaskStanding transformer, double difference,
            boolean cnnBetter, double parameterRatio, double computeRatio, boolean computeOnGpu, Plot byParameters,
            Plot byCompute, List<String> notPlotted) {
        public boolean complete() {
            return cnn != null && transformer != null;
        }
    }

    /** The mean CNN-minus-transformer difference of one headline metric over the tasks that have both. */
    public record Headline(Metric metric, double meanDifference, int tasks, boolean cnnBetter) {}

    static Comparison of(Snapshot snapshot) {
        List<Matchup> matchups = new ArrayList<>();
        for (TaskBoard board : snapshot.boards.values()) {
            if (!board.rows().isEmpty() && !board.metrics().isEmpty()) {
                matchups.add(matchup(board));
            }
        }
        Map<Metric, List<Matchup>> byMetric = matchups.stream().filter(Matchup::complete)
                .collect(Collectors.groupingBy(Matchup::metric, LinkedHashMap::new, Collectors.toList()));
        List<Headline> headlines = new ArrayList<>();
        byMetric.forEach((metric, list) -> {
            double mean = list.stream().mapToDouble(Matchup::difference).average().orElse(Double.NaN);
            headlines.add(new Headline(metric, mean, list.size(), metric.better(mean, 0)));
        });
        return new Comparison(List.copyOf(matchups), List.copyOf(headlines),
                geometricMean(matchups.stream().filter(Matchup::complete).mapToDouble(Matchup::parameterRatio)),
                geometricMean(matchups.stream().filter(Matchup::complete).mapToDouble(Matchup::computeRatio)));
    }

    static Metric headline(TaskRow task, List<Metric> metrics) {
        List<Metric> preferred = switch (task.type()) {
            case SEGMENTATION -> List.of(Metric.DICE);
            case CLASSIFICATION -> List.of(Metric.ACCURACY, Metric.BALANCED_ACCURACY, Metric.AUROC);
            case REGRESSION -> List.of(Metric.MAE);
        };
        return preferred.stream().filter(metrics::contains).findFirst().orElse(metrics.get(0));
    }

    private static Matchup matchup(TaskBoard board) {
        Metric metric = headline(board.task(), board.metrics());
        TaskStanding cnn = best(board, Family.CNN, metric).orElse(null);
        TaskStanding transformer = best(board, Family.TRANSFORMER, metric).orElse(null);
        double difference = Double.NaN;
        double parameters = Double.NaN;
        double compute = Double.NaN;
        // GPU-hours compare only when both sides ran on GPUs; otherwise device-hours do
        boolean bothOnGpu = cnn != null && transformer != null && cnn.compute().onGpu() && transformer.compute().onGpu();
        if (cnn != null && transformer != null) {
            difference = cnn.value(metric) - transformer.value(metric);
            parameters = ratio(transformer.row().parameters(), cnn.row().parameters());
            compute = bothOnGpu ? transformer.compute().gpuHours() / cnn.compute().gpuHours()
                    : transformer.compute().deviceHours() / cnn.compute().deviceHours();
        }
        boolean allOnGpu = board.rows().stream().allMatch(r -> r.compute().onGpu());
        List<String> notPlotted = new ArrayList<>();
        String taskId = board.task().id();
        Plot byParameters = scatter(board, metric, "params", "parameters", notPlotted,
                r -> r.row().parameters() == null ? Double.NaN : r.row().parameters().doubleValue());
        Plot byCompute = scatter(board, metric, "compute", allOnGpu ? "GPU-hours" : "device-hours (GPU or CPU)",
                notPlotted, r -> allOnGpu ? r.compute().gpuHours() : r.compute().deviceHours());
        return new Matchup(board.task(), metric, cnn, transformer, difference, metric.better(difference, 0),
                parameters, compute, bothOnGpu, byParameters, byCompute,
                notPlotted.stream().distinct().map(s -> s + " (" + taskId + ")").toList());
    }

    /** The best-placed entry of a family with a value on the metric. */
    private static Optional<TaskStanding> best(TaskBoard board, Family family, Metric metric) {
        return board.rows().stream().filter(r -> r.row().family() == family && !Double.isNaN(r.value(metric)))
                .findFirst();
    }

    private static Plot scatter(TaskBoard board, Metric metric, String idPart, String xLabel, List<String> notPlotted,
            java.util.function.ToDoubleFunction<TaskStanding> cost) {
        List<Plot.Point> points = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (TaskStanding r : board.rows()) {
            double x = cost.applyAsDouble(r);
            double y = r.value(metric);
            if (x > 0 && !Double.isNaN(y)) {
                points.add(new Plot.Point(x, y, r.row().entry() + " (" + r.row().team() + "): " + metric.label() + " "
                        + metric.format(y) + ", " + cost(x) + " " + xLabel));
                families.add(Format.INSTANCE.family(r.row().family()));
            } else {
                notPlotted.add(r.row().entry() + " (no " + xLabel + " or " + metric.label() + " recorded)");
            }
        }
        String task = board.task().id();
        String title = metric.label() + " against " + xLabel + " on task " + task;
        List<Plot.Point> front = Plot.front(points, metric.direction() == Metric.Direction.HIGHER);
        String description = "Scatter plot of " + metric.label() + " (" + Format.INSTANCE.direction(metric)
                + ") against " + xLabel + " on a logarithmic axis, one mark per entry on task " + task + " ("
                + points.size() + " entries): circles are CNNs, triangles transformers, squares other families. "
                + (front.isEmpty() ? "" : "Pareto front (no entry is better with less): "
                + front.stream().map(Plot.Point::label).collect(Collectors.joining("; ")) + ".");
        String id = "plot-" + idPart + "-" + Integer.toHexString(task.hashCode());
        return points.isEmpty() ? null : Plot.scatter(id, title, description, xLabel + " (log scale)",
                metric.label() + (metric.unit().isEmpty() ? "" : " (" + metric.unit() + ")"),
                metric.direction() == Metric.Direction.HIGHER, points, families);
    }

    private static double ratio(Long a, Long b) {
        return a == null || b == null || b == 0 ? Double.NaN : (double) a / b;
    }

    private static double geometricMean(java.util.stream.DoubleStream values) {
        double[] v = values.filter(x -> x > 0 && Double.isFinite(x)).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double log = 0;
        for (double x : v) {
            log += Math.log(x);
        }
        return Math.exp(log / v.length);
    }

    /** For labels: the value of a cost as a short number. */
    static String cost(double v) {
        return v >= 1000 ? Format.INSTANCE.parameters((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
