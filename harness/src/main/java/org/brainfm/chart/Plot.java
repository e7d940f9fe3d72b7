package org.brainfm.chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The geometry of a chart drawn as SVG: axes with ticks, lines and markers, in the coordinates
 * of a {@link #WIDTH} x {@link #HEIGHT} view box. The site's template ({@code layout.html}, fragment
 * {@code plot}) and {@link Svg} (a standalone file) draw it, escaping every text. {@code title}
 * and {@code description} are the chart's accessible name and long description.
 */
public record Plot(String id, String title, String description, String xLabel, String yLabel, List<Tick> xTicks,
        List<Tick> yTicks, List<Line> lines, List<Marker> markers, List<Legend> legend) {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int LEFT = 72;
    static final int RIGHT = 20;
    static final int TOP = 20;
    static final int BOTTOM = 52;

    public record Tick(double at, String label) {}

    /** A polyline in view-box coordinates ({@code path} is an SVG path of numbers only). */
    public record Line(String name, String cssClass, String path) {}

    /**
     * A point: shape {@code circle}, {@code square} or {@code triangle}; {@code label} is its
     * tooltip, {@code name} the text written beside it (null: none).
     */
    public record Marker(double x, double y, String shape, String cssClass, String label, String name) {
        /** Names near the right edge are written to the left of their mark, so they stay inside the box. */
        public String nameAnchor() {
            return x > WIDTH - 140 ? "end" : "start";
        }

        public double nameX() {
            return x > WIDTH - 140 ? x - 7 : x + 7;
        }

        public double nameY() {
            return y - 6;
        }

        public String trianglePoints() {
            return fmt(x) + "," + fmt(y - 6) + " " + fmt(x - 6) + "," + fmt(y + 5) + " " + fmt(x + 6) + "," + fmt(y + 5);
        }
    }

    public record Legend(String label, String shape, String cssClass) {}

    /** A point in data coordinates: {@code label} its tooltip, {@code name} written beside it (null: none). */
    public record Point(double x, double y, String label, String name) {
        public Point(double x, double y, String label) {
            this(x, y, label, null);
        }
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return WIDTH - RIGHT;
    }

    public int top() {
        return TOP;
    }

    public int bottom() {
        return HEIGHT - BOTTOM;
    }

    public String titleId() {
        return id + "-title";
    }

    public String descriptionId() {
        return id + "-desc";
    }

    /** Loss curves: one line per series, x the epoch, y the loss (linear axes). */
    public static Plot curves(String id, String title, String description, String xLabel, List<String> names,
            List<List<Point>> series) {
        List<Point> all = series.stream().flatMap(List::stream).toList();
        Axis x = Axis.linear(all.stream().mapToDouble(Point::x).min().orElse(0),
                all.stream().mapToDouble(Point::x).max().orElse(1), LEFT, WIDTH - RIGHT);
        Axis y = Axis.linear(Math.min(0, all.stream().mapToDouble(Point::y).min().orElse(0)),
                all.stream().mapToDouble(Point::y).max().orElse(1), HEIGHT - BOTTOM, TOP);
        List<Line> lines = new ArrayList<>();
        List<Marker> markers = new ArrayList<>();
        List<Legend> legend = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            String css = "series-" + s;
            lines.add(new Line(names.get(s), css, path(series.get(s), x, y)));
            legend.add(new Legend(names.get(s), "line", css));
            for (Point p : series.get(s)) {
                markers.add(new Marker(x.map(p.x()), y.map(p.y()), "circle", css, p.label(), p.name()));
            }
        }
        return new Plot(id, title, description, xLabel, "loss", x.ticks(), y.ticks(), lines, markers, legend);
    }

    /**
     * A scatter plot of score against a cost on a log axis, one marker per entry (shape and
     * colour by family), with the Pareto front: the entries no other entry beats on both the
     * score and the cost, joined as a step line.
     */
    public static Plot scatter(String id, String title, String description, String xLabel, String yLabel,
            boolean higherIsBetter, List<Point> points, List<String> families) {
        Axis x = Axis.log(points.stream().mapToDouble(Point::x).min().orElse(1),
                points.stream().mapToDouble(Point::x).max().orElse(10), LEFT, WIDTH - RIGHT);
        Axis y = Axis.linear(points.stream().mapToDouble(Point::y).min().orElse(0),
                points.stream().mapToDouble(Point::y).max().orElse(1), HEIGHT - BOTTOM, TOP);
        List<Point> front = front(points, higherIsBetter);
        java.util.Set<Point> onFront = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        onFront.addAll(front);
        List<Marker> markers = new ArrayList<>();
        List<Legend> legend = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            String family = families.get(i);
            Point p = points.get(i);
            String css = "family-" + family + (onFront.contains(p) ? " on-front" : "");
            markers.add(new Marker(x.map(p.x()), y.map(p.y()), shape(family), css, p.label(), p.name()));
            if (legend.stream().noneMatch(l -> l.cssClass().equals("family-" + family))) {
                legend.add(new Legend(family, shape(family), "family-" + family));
            }
        }
        List<Line> lines = new ArrayList<>();
        if (!front.isEmpty()) {
            lines.add(new Line("Pareto front", "front", stepPath(front, x, y)));
            legend.add(new Legend("Pareto front (outlined marks)", "line", "front"));
        }
        return new Plot(id, title, description, xLabel, yLabel, x.ticks(), y.ticks(), lines, markers, legend);
    }

    /** The points no other point beats on both: lower x and a better y; in order of x. */
    public static List<Point> front(List<Point> points, boolean higherIsBetter) {
        List<Point> sorted = new ArrayList<>(points);
        Comparator<Point> byY = Comparator.comparingDouble(Point::y);
        sorted.sort(Comparator.comparingDouble(Point::x).thenComparing(higherIsBetter ? byY.reversed() : byY));
        List<Point> front = new ArrayList<>();
        double best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (Point p : sorted) {
            if (higherIsBetter ? p.y() > best : p.y() < best) {
                front.add(p);
                best = p.y();
            }
        }
        return front;
    }

    private static String shape(String family) {
        return switch (family) {
            case "CNN" -> "circle";
            case "Transformer" -> "triangle";
            default -> "square";
        };
    }

    private static String path(List<Point> points, Axis x, Axis y) {
        StringBuilder d = new StringBuilder();
        for (Point p : points) {
            d.append(d.length() == 0 ? "M" : " L").append(fmt(x.map(p.x()))).append(' ').append(fmt(y.map(p.y())));
        }
        return d.toString();
    }

    /** Horizontal then vertical between front points: what each cost buys at best. */
    private static String stepPath(List<Point> points, Axis x, Axis y) {
        StringBuilder d = new StringBuilder();
        Point last = null;
        for (Point p : points) {
            if (last == null) {
                d.append('M').append(fmt(x.map(p.x()))).append(' ').append(fmt(y.map(p.y())));
            } else {
                d.append(" L").append(fmt(x.map(p.x()))).append(' ').append(fmt(y.map(last.y())));
                d.append(" L").append(fmt(x.map(p.x()))).append(' ').append(fmt(y.map(p.y())));
            }
            last = p;
        }
        return d.toString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A data range mapped onto view-box pixels, with ticks at round values. */
    record Axis(double low, double high, double step, double from, double to, boolean log, DoubleUnaryOperator scale) {
        static Axis linear(double min, double max, double from, double to) {
            if (!(max > min)) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / 6);
            double low = Math.floor(min / step) * step;
            double high = Math.ceil(max / step) * step;
            return new Axis(low, high, step, from, to, false, v -> v);
        }

        static Axis log(double min, double max, double from, double to) {
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(max)));
            if (high <= low) {
                high = low * 10;
            }
            return new Axis(low, high, 10, from, to, true, Math::log10);
        }

        /** View-box coordinate of a value, to a tenth of a pixel. */
        double map(double v) {
            double a = scale.applyAsDouble(low);
            double b = scale.applyAsDouble(high);
            return Math.round((from + (scale.applyAsDouble(v) - a) / (b - a) * (to - from)) * 10) / 10.0;
        }

        List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>();
            if (log) {
                for (double v = low; v <= high * 1.0001; v *= 10) {
                    ticks.add(new Tick(map(v), label(v)));
                }
            } else {
                for (int i = 0; low + i * step <= high + step * 1e-6; i++) {
                    double v = low + i * step;
                    ticks.add(new Tick(map(v), label(Math.abs(v) < step * 1e-9 ? 0 : v)));
                }
            }
            return ticks;
        }

        private static double niceStep(double rough) {
            double power = Math.pow(10, Math.floor(Math.log10(rough)));
            double f = rough / power;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
        }

        private static String label(double v) {
            double a = Math.abs(v);
            if (a != 0 && (a >= 1e6 || a < 1e-3)) {
                return String.format(Locale.ROOT, "%.0e", v).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
            }
            return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
    }
}
