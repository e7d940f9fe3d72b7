package org.brainfm.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.brainfm.chart.Plot;
import org.brainfm.chart.Svg;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.BoardRow;
import org.brainfm.records.Family;
import org.brainfm.study.TaskRanking.Placed;

/**
 * The study written as the seed paper's comparison: {@code report.md} and {@code report.html}
 * (self-contained: styles and SVG plots inline, no script, no link off the page) and the plots as
 * SVG files beside the Markdown ({@code plots/}). Both say the same things in the same order; every
 * number is the {@link Study}'s, as {@code /compare} shows them.
 */
public final class Report {
    private static final String CSS = "body{font:15px/1.45 sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;"
            + "color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;"
            + "padding:.25rem .5rem;text-align:left;vertical-align:top}td.num{text-align:right}"
            + ".flag{background:#fff3cd;padding:.5rem 1rem;border-left:4px solid #d39e00}svg{max-width:100%;height:auto}";

    private final StringBuilder md = new StringBuilder();
    private final StringBuilder html = new StringBuilder();
    private final List<Plot> plots = new ArrayList<>();

    private Report() {}

    /** Writes {@code report.md}, {@code report.html} and {@code plots/*.svg} into {@code dir}; returns the HTML's path. */
    public static Path write(Study study, String source, Path dir) {
        Report r = new Report();
        r.build(study, source);
        try {
            Files.createDirectories(dir.resolve("plots"));
            for (Plot p : r.plots) {
                Files.writeString(dir.resolve("plots").resolve(p.id() + ".svg"), Svg.of(p), StandardCharsets.UTF_8);
            }
            Files.writeString(dir.resolve("report.md"), r.md.toString(), StandardCharsets.UTF_8);
            Path page = dir.resolve("report.html");
            Files.writeString(page, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                    + "CNN vs transformer: the study from the records</title><style>" + CSS + "</style></head><body>\n"
                    + r.html + "</body></html>\n", StandardCharsets.UTF_8);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir, e);
        }
    }

    private void build(Study study, String source) {
        heading(1, "CNN vs transformer: the study from the records");
        paragraph("The claim under test (MICCAI 2025, SSL3D and FOMO25): a compact U-Net beats ViT-3D transformers at "
                + "about a tenth of the parameters and one to two orders of magnitude less compute. Records: " + source
                + ". On each task the best-placed CNN against the best-placed transformer on the task's board.");
        paragraph("Method: differences over the test cases both entries were scored on; 95 % interval from a paired "
                + "bootstrap (" + study.resamples() + " resamples of the shared cases); two-sided paired permutation "
                + "p-value (" + study.permutations() + " permutations, Phipson-Smyth); seed " + study.seed()
                + "; the headline metric's p-values Holm-corrected across the tasks. A verdict only where the "
                + "interval excludes 0 and the corrected p is below " + Difference.ALPHA + " (docs/metrics.md).");

        heading(2, "Headline");
        List<String> headline = new ArrayList<>();
        for (Study.TaskStudy t : study.tasks()) {
            headline.add("Task " + t.task().id() + (t.headline() == null ? "" : " (" + t.headline().label() + ")") + ": "
                    + t.verdict());
        }
        headline.add("Parameters: the transformer has " + Study.ratio(study.parameterRatio())
                + " the CNN's (geometric mean over the tasks with both).");
        headline.add(Double.isNaN(study.gpuHoursRatio())
                ? "GPU-hours: no task has both its best CNN and its best transformer measured on a GPU."
                : "GPU-hours: the transformer used " + Study.ratio(study.gpuHoursRatio())
                        + " the CNN's (measured; geometric mean over the tasks where both ran on GPUs).");
        list(headline);
        heading(2, "What contradicts the headline");
        if (study.contradictions().isEmpty()) {
            paragraph("Nothing in these records contradicts the headline (which is not to say they support it: see "
                    + "the verdicts).");
        } else {
            flagged(study.contradictions());
        }
        List<String> floors = study.tasks().stream().filter(t -> t.floor() != null)
                .map(t -> "Task " + t.task().id() + ": " + t.floor().finding()).toList();
        if (!floors.isEmpty()) {
            heading(2, "Against a model that learnt nothing");
            paragraph("Each task's best entry against what a model that learnt nothing scores: AUROC 0.5 (any constant "
                    + "probability), Dice 0 (the empty mask), the MAE of the best constant prediction (the test cases' "
                    + "median, which no constant beats). A comparison of two models that both sit at this floor says nothing.");
            list(floors);
        }
        for (Study.TaskStudy t : study.tasks()) {
            task(t);
        }
    }

    private void task(Study.TaskStudy t) {
        heading(2, "Task " + t.task().id() + " (" + t.task().type().name().toLowerCase(Locale.ROOT) + ")");
        if (!t.scored()) {
            paragraph("Unscored: no entry has a finished, shown scoring run on this task. It ranks nobody and is not "
                    + "in the comparison.");
            return;
        }
        paragraph("Verdict on " + t.headline().label() + ": " + t.verdict() + ".");
        if (!t.contradictions().isEmpty()) {
            flagged(t.contradictions());
        }
        List<String> header = new ArrayList<>(List.of("Rank", "Entry", "Team", "Family"));
        t.metrics().forEach(m -> header.add(m.label() + " (95 % CI)"));
        header.addAll(List.of("Parameters", "GPU-hours", "CPU device-hours", "Board score from"));
        List<List<String>> rows = new ArrayList<>();
        for (Placed p : t.rows()) {
            BoardRow r = p.row();
            List<String> row = new ArrayList<>(List.of(Double.isNaN(p.value(t.headline())) ? "unscored on "
                    + t.headline().label() : String.valueOf(p.position()), r.entry(), r.team(), r.family().label()));
            t.metrics().forEach(m -> row.add(score(m, r.metrics().get(m.key()))));
            row.add(r.parameters() == null ? "—" : Costs.number(r.parameters()));
            row.add(r.gpuHours() > 0 ? Costs.number(r.gpuHours()) : "—");
            row.add(r.gpuHours() > 0 || !(r.deviceHours() > 0) ? "—" : Costs.number(r.deviceHours()));
            row.add(r.seedRuns().stream().map(s -> "run " + s.runId() + (s.seed() == null ? "" : " (seed " + s.seed() + ")"))
                    .collect(Collectors.joining(", ")));
            rows.add(row);
        }
        table(header, rows);
        if (!t.complete()) {
            return;
        }
        heading(3, "Best CNN minus best transformer");
        List<List<String>> diffs = new ArrayList<>();
        for (Difference d : t.differences().values()) {
            Metric m = d.metric();
            diffs.add(List.of(m.label() + (m == t.headline() ? " (headline)" : ""),
                    Study.best(t.rows(), Family.CNN, m).row().entry(),
                    Study.best(t.rows(), Family.TRANSFORMER, m).row().entry(),
                    signed(m, d.value()), d.untested() == null ? "[" + m.format(d.low()) + ", " + m.format(d.high()) + "]" : "—",
                    Double.isNaN(d.p()) ? "—" : Difference.p(d.p()),
                    m == t.headline() && !Double.isNaN(d.pAdjusted()) ? Difference.p(d.pAdjusted()) : "not corrected",
                    d.cases() + (d.unpaired() > 0 ? " (" + d.unpaired() + " unpaired left out)" : ""),
                    d.verdict("CNN", "transformer")));
        }
        table(List.of("Metric", "CNN", "Transformer", "Difference", "95 % CI", "p", "Holm p", "Cases", "Verdict"), diffs);
        list(List.of("Parameters: the transformer has " + Study.ratio(t.parameterRatio()) + " the CNN's.",
                t.hoursUnit() == null ? "Hours: " + t.hoursWhyNot() + "."
                        : "Hours: the transformer used " + Study.ratio(t.hoursRatio()) + " the CNN's "
                        + (Costs.GPU_HOURS.equals(t.hoursUnit()) ? "GPU-hours" : "CPU device-hours") + " (measured)."));
        heading(3, "Score against parameters and against hours");
        for (Costs c : t.costs()) {
            Plot plot = c.plot(t.task().id(), t.headline());
            if (plot != null) {
                figure(plot);
            }
            if (!c.leftOff().isEmpty()) {
                paragraph("Not on the " + c.what() + " plot: " + String.join("; ", c.leftOff())
                        + ".");
            }
        }
    }

    /** A board score with its 95 % CI, e.g. {@code 0.8125 [0.6641, 0.9361]}; "unscored" without one. */
    static String score(Metric m, AggregateScore s) {
        if (s == null || s.score() == null) {
            return "unscored";
        }
        return m.format(s.score()) + (s.ciLow() == null || s.ciHigh() == null ? ""
                : " [" + m.format(s.ciLow()) + ", " + m.format(s.ciHigh()) + "]");
    }

    static String signed(Metric m, double d) {
        return Double.isNaN(d) ? "—" : (d > 0 ? "+" : d < 0 ? "−" : "±") + m.format(Math.abs(d));
    }

    private void heading(int level, String text) {
        md.append("#".repeat(level)).append(' ').append(mdText(text)).append("\n\n");
        html.append("<h").append(level).append('>').append(Svg.escape(text)).append("</h").append(level).append(">\n");
    }

    private void paragraph(String text) {
        md.append(mdText(text)).append("\n\n");
        html.append("<p>").append(Svg.escape(text)).append("</p>\n");
    }

    private void list(List<String> items) {
        items.forEach(i -> md.append("- ").append(mdText(i)).append('\n'));
        md.append('\n');
        html.append("<ul>").append(items.stream().map(i -> "<li>" + Svg.escape(i) + "</li>").collect(Collectors.joining()))
                .append("</ul>\n");
    }

    private void flagged(List<String> items) {
        items.forEach(i -> md.append("- **Against the headline:** ").append(mdText(i)).append('\n'));
        md.append('\n');
        html.append("<div class=\"flag\"><strong>Against the headline:</strong><ul>")
                .append(items.stream().map(i -> "<li>" + Svg.escape(i) + "</li>").collect(Collectors.joining()))
                .append("</ul></div>\n");
    }

    private void table(List<String> header, List<List<String>> rows) {
        md.append("| ").append(header.stream().map(Report::cell).collect(Collectors.joining(" | "))).append(" |\n|")
                .append("---|".repeat(header.size())).append('\n');
        rows.forEach(r -> md.append("| ").append(r.stream().map(Report::cell).collect(Collectors.joining(" | "))).append(" |\n"));
        md.append('\n');
        html.append("<table><thead><tr>").append(header.stream().map(h -> "<th scope=\"col\">" + Svg.escape(h) + "</th>")
                .collect(Collectors.joining())).append("</tr></thead><tbody>");
        rows.forEach(r -> html.append("<tr>").append(r.stream().map(c -> "<td>" + Svg.escape(c) + "</td>")
                .collect(Collectors.joining())).append("</tr>"));
        html.append("</tbody></table>\n");
    }

    private void figure(Plot plot) {
        plots.add(plot);
        md.append("![").append(mdText(plot.title())).append("](plots/").append(plot.id()).append(".svg)\n\n");
        html.append("<figure>").append(Svg.of(plot)).append("<figcaption>").append(Svg.escape(plot.title()))
                .append("</figcaption></figure>\n");
    }

    /**
     * Markdown text: a name cannot open a tag (&, <, > as entities), emphasise, break a table or
     * make a link (Markdown's marks escaped, and "](" broken); brackets alone stay as they are.
     */
    private static String mdText(String text) {
        return Svg.visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replaceAll("([\\\\`*_|#])", "\\\\$1").replace("](", "]\\(");
    }

    private static String cell(String text) {
        return mdText(text).replace("\n", " ");
    }
}
