package org.brainfm.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Locale;
import org.brainfm.data.DatasetSpec;
import org.brainfm.data.Datasets;
import org.brainfm.data.TaskSpec;
import org.brainfm.model.ModelCard;
import org.brainfm.records.CardDef;
import org.brainfm.records.DatasetDef;
import org.brainfm.records.EntryDef;
import org.brainfm.records.Family;
import org.brainfm.records.Records;
import org.brainfm.records.TaskDef;
import org.brainfm.records.TaskKind;

/** Puts what a run refers to (dataset, task, model card, baseline entry) into the records, idempotently. */
public final class Catalog {
    /** The team our own baseline entries are listed under. */
    public static final String BASELINE_TEAM = "brainfm baselines";
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Catalog() {}

    /** Stores (or updates) the task's dataset, the task and the card. */
    public static void register(Records records, Datasets datasets, TaskSpec task, ModelCard card) {
        DatasetSpec d = datasets.dataset(task.dataset());
        records.putDataset(new DatasetDef(d.name(), d.path() != null ? datasets.root(d.name()).toString() : "synthetic",
                d.description(), json(d)));
        records.putTask(new TaskDef(task.name(), task.dataset(), TaskKind.valueOf(task.type().name()), task.description(),
                json(task)));
        records.putCard(new CardDef(card.name(), Family.valueOf(card.family().toUpperCase(Locale.ROOT)), card.architecture(),
                card.pretraining().objective(), json(card)));
    }

    /**
     * The board entry of a baseline: one per card, preset and start (from scratch, or
     * pretrained); made on first use.
     */
    public static long baselineEntry(Records records, ModelCard card, String preset, boolean pretrained) {
        String name = card.name() + " " + preset + (pretrained ? " pretrained" : " scratch");
        return records.entryId(BASELINE_TEAM, name).orElseGet(() -> records.addEntry(EntryDef.baseline(BASELINE_TEAM, name,
                Family.valueOf(card.family().toUpperCase(Locale.ROOT)), card.name())));
    }

    static JsonNode json(Object value) {
        return JSON.valueToTree(value);
    }
}
