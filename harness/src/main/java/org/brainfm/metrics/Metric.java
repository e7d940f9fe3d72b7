package org.brainfm.metrics;

import java.util.Arrays;
import java.util.Locale;

/** The registry of metrics: key, display name, direction, decimals shown and unit. */
public enum Metric {
    DICE("dice", "Dice", Direction.HIGHER, 4, ""),
    NSD("nsd", "NSD", Direction.HIGHER, 4, ""),
    HD95("hd95", "HD95", Direction.LOWER, 2, "mm"),
    AUROC("auroc", "AUROC", Direction.HIGHER, 4, ""),
    ACCURACY("accuracy", "Accuracy", Direction.HIGHER, 4, ""),
    BALANCED_ACCURACY("balanced_accuracy", "Balanced accuracy", Direction.HIGHER, 4, ""),
    F1("f1", "F1", Direction.HIGHER, 4, ""),
    AVERAGE_PRECISION("ap", "Average precision", Direction.HIGHER, 4, ""),
    MAE("mae", "MAE", Direction.LOWER, 2, "years"),
    PEARSON_R("pearson_r", "Pearson r", Direction.HIGHER, 4, "");

    /** Which way is better. */
    public enum Direction {
        HIGHER,
        LOWER
    }

    private final String key;
    private final String label;
    private final Direction direction;
    private final int decimals;
    private final String unit;

    Metric(String key, String label, Direction direction, int decimals, String unit) {
        this.key = key;
        this.label = label;
        this.direction = direction;
        this.decimals = decimals;
        this.unit = unit;
    }

    /** The name records, JSON and the command line use, e.g. {@code hd95}. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public Direction direction() {
        return direction;
    }

    public int decimals() {
        return decimals;
    }

    /** Unit of the values, empty when they have none. */
    public String unit() {
        return unit;
    }

    /** True when {@code a} is strictly better than {@code b}; NaN is never better. */
    public boolean better(double a, double b) {
        return direction == Direction.HIGHER ? a > b : a < b;
    }

    /** The value rounded to this metric's decimals, e.g. {@code 0.8312}. */
    public String format(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** The least value the metric can take: -1 for a correlation, else 0. */
    public double lowest() {
        return this == PEARSON_R ? -1 : 0;
    }

    /** The greatest value the metric can take: none for a distance or an error, else 1. */
    public double highest() {
        return this == HD95 || this == MAE ? Double.POSITIVE_INFINITY : 1;
    }

    /** Segmentation metrics, which a multi-class task also stores per class. */
    public boolean perClass() {
        return this == DICE || this == NSD || this == HD95;
    }

    /**
     * The key of one class's value of this metric in a multi-class segmentation task, e.g.
     * {@code dice_white_matter} for class {@code white-matter}; the plain key is the mean over classes.
     */
    public String key(String className) {
        return key + "_" + className.replace('-', '_');
    }

    /** The metric a stored key belongs to: its own key, or one of its classes' ({@code dice_csf}). */
    public static Metric ofStored(String storedKey) {
        for (Metric m : values()) {
            if (storedKey.equals(m.key) || m.perClass() && storedKey.startsWith(m.key + "_")) {
                return m;
            }
        }
        return byKey(storedKey);
    }

    /** A stored key as a person reads it: the metric's label, with a class's name after it ({@code Dice csf}). */
    public static String labelOf(String storedKey) {
        Metric m = ofStored(storedKey);
        return storedKey.equals(m.key) ? m.label : m.label + " " + storedKey.substring(m.key.length() + 1);
    }

    public static Metric byKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric " + key + "; known: "
                        + Arrays.stream(values()).map(Metric::key).toList()));
    }
}
