package org.brainfm.records;

import static org.brainfm.records.Sql.json;
import static org.brainfm.records.Sql.now;
import static org.brainfm.records.db.Tables.DATASET;
import static org.brainfm.records.db.Tables.MODEL_CARD;
import static org.brainfm.records.db.Tables.TASK;

import java.util.List;
import java.util.Optional;
import org.brainfm.metrics.TaskType;

/** What runs refer to: datasets and tasks (as datasets.yaml declares them) and model cards. Writes are upserts. */
public final class Catalog {
    private final Sql sql;

    Catalog(Sql sql) {
        this.sql = sql;
    }

    public void putDataset(DatasetRow dataset) {
        sql.run(db -> db.insertInto(DATASET)
                .set(DATASET.ID, dataset.id())
                .set(DATASET.SOURCE, dataset.source())
                .set(DATASET.DESCRIPTION, dataset.description())
                .set(DATASET.DEFINITION, dataset.definition().toString())
                .set(DATASET.REGISTERED_AT, now())
                .onDuplicateKeyUpdate()
                .set(DATASET.SOURCE, dataset.source())
                .set(DATASET.DESCRIPTION, dataset.description())
                .set(DATASET.DEFINITION, dataset.definition().toString())
                .execute());
    }

    public void putTask(TaskRow task) {
        sql.run(db -> db.insertInto(TASK)
                .set(TASK.ID, task.id())
                .set(TASK.DATASET_ID, task.datasetId())
                .set(TASK.KIND, task.type().label())
                .set(TASK.DESCRIPTION, task.description())
                .set(TASK.DEFINITION, task.definition().toString())
                .set(TASK.REGISTERED_AT, now())
                .onDuplicateKeyUpdate()
                .set(TASK.DATASET_ID, task.datasetId())
                .set(TASK.KIND, task.type().label())
                .set(TASK.DESCRIPTION, task.description())
                .set(TASK.DEFINITION, task.definition().toString())
                .execute());
    }

    public void putCard(CardRow card) {
        sql.run(db -> db.insertInto(MODEL_CARD)
                .set(MODEL_CARD.ID, card.id())
                .set(MODEL_CARD.FAMILY, card.family().id())
                .set(MODEL_CARD.ARCHITECTURE, card.architecture())
                .set(MODEL_CARD.OBJECTIVE, card.objective())
                .set(MODEL_CARD.DEFINITION, card.definition().toString())
                .set(MODEL_CARD.REGISTERED_AT, now())
                .onDuplicateKeyUpdate()
                .set(MODEL_CARD.FAMILY, card.family().id())
                .set(MODEL_CARD.ARCHITECTURE, card.architecture())
                .set(MODEL_CARD.OBJECTIVE, card.objective())
                .set(MODEL_CARD.DEFINITION, card.definition().toString())
                .execute());
    }

    public List<String> taskIds() {
        return sql.call(db -> db.select(TASK.ID).from(TASK).orderBy(TASK.ID).fetch(TASK.ID));
    }

    public List<DatasetRow> datasets() {
        return sql.call(db -> db.selectFrom(DATASET).orderBy(DATASET.ID).fetch(r -> new DatasetRow(r.getId(),
                r.getSource(), r.getDescription(), json("dataset " + r.getId(), r.getDefinition()))));
    }

    public List<TaskRow> tasks() {
        return sql.call(db -> db.selectFrom(TASK).orderBy(TASK.ID).fetch(r -> new TaskRow(r.getId(), r.getDatasetId(),
                TaskType.of(r.getKind()), r.getDescription(), json("task " + r.getId(), r.getDefinition()))));
    }

    public Optional<CardRow> card(String cardId) {
        return sql.call(db -> db.selectFrom(MODEL_CARD).where(MODEL_CARD.ID.eq(cardId)).fetchOptional())
                .map(r -> new CardRow(r.getId(), DbEnum.parse(Family.class, r.getFamily()), r.getArchitecture(),
                        r.getObjective(), json("model card " + r.getId(), r.getDefinition())));
    }
}
