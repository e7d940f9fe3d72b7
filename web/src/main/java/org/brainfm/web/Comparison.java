package org.brainfm.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.chart.Plot;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.records.BoardRow;
import org.brainfm.records.TaskRow;
import org.brainfm.study.Costs;
import org.brainfm.study.Study;

/**
 * The {@code /compare} page's view of the {@link Study} (the same numbers as {@code brainfm
 * report}): per task the study's findings, its plots (one kind of cost per axis) and, for each
 * plot, the entries left off it and why.
 */
public record Comparison(Study study, List<Matchup> matchups) {
    /** One task: the study's findings and its plots with what each leaves off. */
    public record Matchup(Study.TaskStudy task, List<Figure> figures) {}

    /** A plot (null when no entry has that cost) and the entries not on it, each with why. */
    public record Figure(Costs costs, Plot plot) {}

    static Comparison of(Snapshot snapshot) {
        // the snapshot's boards, so that the study compares exactly the rows the boards show
        Map<TaskRow, List<BoardRow>> boards = new LinkedHashMap<>();
        snapshot.boards.values().forEach(b -> boards.put(b.task(), b.rows().stream().map(TaskStanding::row).toList()));
        Study study = Study.of(snapshot.records, boards, Bootstrap.DEFAULT_RESAMPLES, Study.PERMUTATIONS, Snapshot.SEED);
        List<Matchup> matchups = new ArrayList<>();
        for (Study.TaskStudy t : study.tasks()) {
            List<Figure> figures = t.costs().stream().map(c -> new Figure(c, c.plot(t.task().id(), t.headline())))
                    .toList();
            matchups.add(new Matchup(t, figures));
        }
        return new Comparison(study, List.copyOf(matchups));
    }
}
