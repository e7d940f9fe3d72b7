package org.brainfm.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.brainfm.chart.Plot;
import org.brainfm.records.CardRow;
import org.brainfm.records.EntryRow;
import org.brainfm.records.EpochRow;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;

/**
 * An entry's page: its results on each task, its overall place, the compute of every run
 * behind it (scoring, finetuning, pretraining: its provenance), its model card, and the
 * training curves of the runs that logged any; for a team's entry, the method and paper its
 * manifest gives. Runs an organiser hid are not listed; the
 * compute of the scores shown still counts them (docs/records.md).
 */
public record EntryView(EntryRow entry, CardRow card, Double claimedGpuHours, String description, String paper,
        OverallStanding overall,
        List<TaskResult> tasks, Compute compute, List<RunRow> runs, Map<Long, List<EpochRow>> curves,
        List<Plot> plots) {
    /** A link the page may show: http(s) and no character that would leave the attribute (checked at submission too). */
    private static final Pattern PAPER = Pattern.compile("https?://[^\\s<>\"']{1,490}");

    /** The entry's row on one task's board (every entry shown). */
    public record TaskResult(TaskBoard board, TaskStanding row) {}

    static EntryView of(Snapshot s, Records records, EntryRow entry) {
        List<TaskResult> tasks = new ArrayList<>();
        List<Long> scoringRuns = new ArrayList<>();
        for (TaskBoard b : s.boards.values()) {
            for (TaskStanding r : b.rows()) {
                if (r.row().entryId() == entry.id()) {
                    tasks.add(new TaskResult(b, r));
                    r.row().seedRuns().forEach(sr -> scoringRuns.add(sr.runId()));
                }
            }
        }
        OverallStanding overall = s.overall.stream().filter(r -> r.entryId() == entry.id()).findFirst().orElse(null);
        Map<Long, RunRow> related = new TreeMap<>();
        for (RunRow run : s.runs.values()) {
            if (run.entryId() != null && run.entryId() == entry.id() && !run.hidden() && run.phaseId() == null) {
                s.lineage(run.id()).stream().filter(r -> !r.hidden()).forEach(r -> related.put(r.id(), r));
            }
        }
        Map<Long, List<EpochRow>> curves = new LinkedHashMap<>();
        List<Plot> plots = new ArrayList<>();
        for (RunRow run : related.values()) {
            if (run.kind() == RunKind.SCORE) {
                continue;
            }
            List<EpochRow> curve = records.runs().epochs(run.id());
            if (!curve.isEmpty()) {
                curves.put(run.id(), curve);
                plots.add(curvePlot(run, curve));
            }
        }
        List<RunRow> runs = new ArrayList<>(related.values());
        runs.sort(Comparator.comparingLong(RunRow::id));
        Map<String, String> method = method(s, entry);
        return new EntryView(entry, entry.cardId() == null ? null : s.cards.get(entry.cardId()),
                s.claimedGpuHours(entry), method.get("description"), method.get("paper"), overall, List.copyOf(tasks), s.compute(scoringRuns),
                List.copyOf(runs), curves, List.copyOf(plots));
    }

    /** An entry's method as its manifest says: {@code description}, and {@code paper} where it is an http(s) link (else absent). */
    static Map<String, String> method(Snapshot s, EntryRow entry) {
        JsonNode manifest = s.manifest(entry);
        Map<String, String> method = new HashMap<>();
        method.put("description", manifest.path("description").asText(null));
        String paper = manifest.path("paper").asText(null);
        method.put("paper", paper != null && PAPER.matcher(paper).matches() ? paper : null);
        return method;
    }

    /** Loss (and validation loss, when logged) per epoch; per step when an epoch logged several. */
    private static Plot curvePlot(RunRow run, List<EpochRow> curve) {
        boolean bySteps = curve.stream().map(EpochRow::epoch).distinct().count() < curve.size();
        List<Plot.Point> loss = new ArrayList<>();
        List<Plot.Point> validation = new ArrayList<>();
        for (EpochRow p : curve) {
            double x = bySteps ? p.step() : p.epoch();
            loss.add(new Plot.Point(x, p.loss(), "epoch " + p.epoch() + ", step " + p.step() + ": loss " + p.loss()));
            if (p.validationLoss() != null) {
                validation.add(new Plot.Point(x, p.validationLoss(), "epoch " + p.epoch() + ", step " + p.step()
                        + ": validation loss " + p.validationLoss()));
            }
        }
        String what = kind(run) + " run " + run.id() + (run.taskId() == null ? "" : " on task " + run.taskId())
                + (run.objective() == null ? "" : ", objective " + run.objective());
        double first = curve.get(0).loss();
        double last = curve.get(curve.size() - 1).loss();
        String description = "Line chart of the training loss" + (validation.isEmpty() ? "" : " and the validation loss")
                + " of " + what + " over " + curve.size() + " points by " + (bySteps ? "step" : "epoch")
                + ": loss from " + first + " to " + last + ".";
        List<String> names = new ArrayList<>(List.of("training loss"));
        List<List<Plot.Point>> series = new ArrayList<>(List.of(loss));
        if (!validation.isEmpty()) {
            names.add("validation loss");
            series.add(validation);
        }
        return Plot.curves("curve-" + run.id(), "Loss of " + what, description, bySteps ? "step" : "epoch", names, series);
    }

    static String kind(RunRow run) {
        return switch (run.kind()) {
            case PRETRAIN -> "pretraining";
            case FINETUNE -> "finetuning";
            case SCORE -> "scoring";
        };
    }
}
