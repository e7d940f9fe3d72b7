package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;

/** A dataset as datasets.yaml declares it: id, where it comes from (a path, or {@code synthetic}), and the whole declaration. */
public record DatasetRow(String id, String source, String description, JsonNode definition) {
    public DatasetRow {
        Check.name("dataset id", id, 100);
        Check.name("dataset source", source, 2000);
        Check.notNull("dataset definition", definition);
    }
}
