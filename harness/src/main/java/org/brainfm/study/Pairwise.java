package org.brainfm.study;

import java.util.ArrayList;
import java.util.List;
import org.brainfm.metrics.Holm;
import org.brainfm.metrics.Metric;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;
import org.brainfm.study.TaskRanking.Placed;

/**
 * The pairwise significance table of a task's top entries (FOMO25 ran such tests; kits19 #37 asks
 * for it): every pair of the first {@code top} by board position, the higher placed minus the
 * lower on the task's headline metric, with its paired {@link Difference}; the p-values
 * Holm-corrected across the pairs.
 */
public final class Pairwise {
    /** How many of the top entries the table holds by default. */
    public static final int TOP = 5;

    private Pairwise() {}

    /** One pair: {@code a} placed above {@code b}; the difference is a minus b. */
    public record Pair(Placed a, Placed b, Difference difference) {}

    public static List<Pair> of(Records records, TaskRow task, List<Placed> ranked, Metric metric, int top,
            int resamples, int permutations, long seed) {
        List<Placed> first = ranked.stream().filter(p -> !Double.isNaN(p.value(metric))).limit(top).toList();
        List<CaseValues> values = first.stream()
                .map(p -> CaseValues.read(records, task.id(), task.type(), metric, p.row())).toList();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            for (int j = i + 1; j < first.size(); j++) {
                pairs.add(new Pair(first.get(i), first.get(j), Difference.of(task.type(), metric, values.get(i),
                        values.get(j), resamples, permutations, seed)));
            }
        }
        double[] adjusted = Holm.adjust(pairs.stream().mapToDouble(p -> p.difference().p()).toArray());
        List<Pair> out = new ArrayList<>();
        for (int k = 0; k < pairs.size(); k++) {
            Pair p = pairs.get(k);
            out.add(new Pair(p.a(), p.b(), p.difference().adjusted(adjusted[k])));
        }
        return List.copyOf(out);
    }
}
