package org.brainfm.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Locale;
import org.brainfm.data.DatasetSpec;
import org.brainfm.data.Datasets;
import org.brainfm.data.TaskSpec;
import org.brainfm.model.card.ModelCard;
import org.brainfm.records.CardRow;
import org.brainfm.records.DatasetRow;
import org.brainfm.records.Family;
import org.brainfm.records.NewEntry;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;

/** Puts what a run refers to (dataset, task, model card, baseline entry) into the records, idempotently. */
public final class Registry {
    /** The team our own baseline entries are listed under. */
    public static final String BASELINE_TEAM = "brainfm baselines";
    public static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Registry() {}

    /** Stores (or updates) the task's dataset, the task and the card. */
    public static void register(Records records, Datasets datasets, TaskSpec task, ModelCard card) {
        registerTask(records, datasets, task);
        registerCard(records, card);
    }

    /** Stores (or updates) the task and its dataset. */
    public static void registerTask(Records records, Datasets datasets, TaskSpec task) {
        DatasetSpec d = datasets.dataset(task.dataset());
        records.catalog().putDataset(new DatasetRow(d.name(), d.path() != null ? datasets.root(d.name()).toString() : "synthetic",
                d.description(), json(d)));
        records.catalog().putTask(new TaskRow(task.name(), task.dataset(), task.type(), task.description(),
                json(task)));
    }

    /** Stores (or updates) a model card. */
    public static void registerCard(Records records, ModelCard card) {
        records.catalog().putCard(new CardRow(card.name(), family(card), card.architecture(), card.pretraining().objective(),
                json(card)));
    }

    /**
     * The board entry of a baseline: one per card, preset, start (from scratch, or pretrained) and
     * protocol; made on first use.
     */
    public static long baselineEntry(Records records, ModelCard card, String preset, boolean pretrained, String protocol) {
        String name = baselineName(card, preset, pretrained, protocol);
        return records.entries().idOf(BASELINE_TEAM, name).orElseGet(() -> records.entries().add(NewEntry.baseline(BASELINE_TEAM, name,
                family(card), card.name())));
    }

    /**
     * A baseline entry's name: the card, the preset, how it started and, for a protocol other than
     * FOMO25's, the protocol ({@code compact-unet mini pretrained}, {@code vit-b16 mini scratch ssl3d}).
     */
    public static String baselineName(ModelCard card, String preset, boolean pretrained, String protocol) {
        return card.name() + " " + preset + (pretrained ? " pretrained" : " scratch")
                + (protocol == null || protocol.equals("fomo25") ? "" : " " + protocol);
    }

    private static Family family(ModelCard card) {
        return Family.valueOf(card.family().toUpperCase(Locale.ROOT));
    }

    static JsonNode json(Object value) {
        return JSON.valueToTree(value);
    }
}
