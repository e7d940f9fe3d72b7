package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;

/** A downstream task of a dataset, as datasets.yaml declares it. */
public record TaskDef(String id, String datasetId, TaskKind kind, String description, JsonNode definition) {
    public TaskDef {
        Check.name("task id", id, 100);
        Check.name("dataset id", datasetId, 100);
        Check.notNull("task kind", kind);
        Check.notNull("task definition", definition);
    }
}
