package org.brainfm.web;

import java.util.Locale;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Family;

/**
 * How numbers and names read on the site; templates call it as {@code fmt}. A figure from
 * outside (a team's claimed GPU-hours) may be absurd: hours and ratios from {@link #LARGE} on,
 * and parameter counts from 10^12, read scientific ({@code 1.00e+300}), a few characters wide.
 */
public final class Format {
    static final Format INSTANCE = new Format();
    static final double LARGE = 1e6;

    private Format() {}

    /** 18.9 M, 350 k, 912; the exact count goes in a title. */
    public String parameters(Long count) {
        if (count == null) {
            return "—";
        }
        if (count >= 1e12) {
            return scientific(count);
        }
        if (count >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", count / 1e9);
        }
        if (count >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f M", count / 1e6);
        }
        if (count >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f k", count / 1e3);
        }
        return Long.toString(count);
    }

    public String exact(Long count) {
        return count == null ? "" : String.format(Locale.ROOT, "%,d", count);
    }

    /** Hours with three significant digits (36.0, 0.512, 0.00123); below a millisecond's worth, a bound. */
    public String hours(double hours) {
        if (hours <= 0) {
            return "0";
        }
        if (hours < 1e-6) {
            return "< 0.000001";
        }
        if (hours >= LARGE) {
            return scientific(hours);
        }
        if (hours >= 100) {
            return String.format(Locale.ROOT, "%,.0f", hours);
        }
        return new java.math.BigDecimal(hours).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }

    private static String scientific(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }

    /** The measured compute as the board shows it: GPU-hours, or device-hours on CPUs labelled as such. */
    public String compute(Compute compute) {
        String extra = computeExtra(compute);
        return extra.isEmpty() ? computeMain(compute) : computeMain(compute) + " " + extra;
    }

    /** The figure that compares: GPU-hours when any run used a GPU, else CPU device-hours. */
    public String computeMain(Compute compute) {
        return compute.onGpu() ? hours(compute.gpuHours()) + " GPU-h" : hours(compute.deviceHours()) + " CPU-h";
    }

    /** The CPU time next to GPU time ({@code + 0.2 CPU-h}), empty when there is none. */
    public String computeExtra(Compute compute) {
        return compute.onGpu() && compute.cpuHours() > 0 ? "+ " + hours(compute.cpuHours()) + " CPU-h" : "";
    }

    public String metric(Metric metric, Double value) {
        return value == null || value.isNaN() ? "—" : metric.format(value);
    }

    /**
     * A stored aggregate as text: its value and 95 % interval, by its metric's key ({@code dice 0.81 [0.77, 0.84]});
     * a class's value of a multi-class task ({@code dice_csf}) as its metric's.
     */
    public String aggregate(AggregateScore score) {
        Metric m;
        try {
            m = Metric.ofStored(score.metric());
        } catch (IllegalArgumentException e) {
            return score.score() == null ? "—" : Double.toString(score.score());
        }
        String interval = interval(m, score);
        return metric(m, score.score()) + (interval.isEmpty() ? "" : " " + interval);
    }

    /** The 95 % interval of an aggregate, e.g. {@code [0.8012, 0.8544]}; empty when none was computed. */
    public String interval(Metric metric, AggregateScore score) {
        if (score == null || score.ciLow() == null || score.ciHigh() == null) {
            return "";
        }
        return "[" + metric.format(score.ciLow()) + ", " + metric.format(score.ciHigh()) + "]";
    }

    /** The spread over an entry's finetuning seeds, e.g. {@code sd 0.0123 · 3 seeds}; {@code 1 seed} alone. */
    public String seeds(Metric metric, AggregateScore score) {
        if (score == null) {
            return "";
        }
        String n = score.seeds() + (score.seeds() == 1 ? " seed" : " seeds");
        return score.sd() == null ? n : "sd " + metric.format(score.sd()) + " · " + n;
    }

    /** The standard deviation over seeds, a dash for one seed. */
    public String sd(Metric metric, AggregateScore score) {
        return score == null || score.sd() == null ? "—" : metric.format(score.sd());
    }

    /** ↑ when higher is better, ↓ when lower is. */
    public String arrow(Metric metric) {
        return metric.direction() == Metric.Direction.HIGHER ? "↑" : "↓";
    }

    public String direction(Metric metric) {
        return metric.direction() == Metric.Direction.HIGHER ? "higher is better" : "lower is better";
    }

    public String rank(double rank) {
        return Double.isNaN(rank) ? "—" : String.format(Locale.ROOT, "%.2f", rank);
    }

    public String position(double position) {
        return Double.isNaN(position) ? "—" : String.format(Locale.ROOT, "%.0f", position);
    }

    public String family(Family family) {
        return family.label();
    }

    public String familyClass(Family family) {
        return "badge badge-" + family.name().toLowerCase(Locale.ROOT);
    }

    public String signed(Metric metric, double difference) {
        if (Double.isNaN(difference)) {
            return "—";
        }
        return (difference > 0 ? "+" : difference < 0 ? "−" : "±") + metric.format(Math.abs(difference));
    }

    public String ratio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "—";
        }
        return ratio >= LARGE ? scientific(ratio) + "×" : org.brainfm.study.Study.ratio(ratio);
    }

    public boolean finite(double value) {
        return Double.isFinite(value);
    }

    public String seconds(Double seconds) {
        return seconds == null ? "—" : String.format(Locale.ROOT, "%,.1f s", seconds);
    }

    /** A peak memory; none recorded (null, or 0 from a GPU run never sampled) shows as a dash. */
    public String bytes(Long bytes) {
        if (bytes == null || bytes <= 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
