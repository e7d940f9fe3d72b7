package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;

/** A model card (baselines/*.yaml): architecture preset, family, pretraining objective, and the whole card. */
public record CardRow(String id, Family family, String architecture, String objective, JsonNode definition) {
    public CardRow {
        Check.name("card id", id, 100);
        Check.notNull("card family", family);
        Check.name("architecture", architecture, 200);
        Check.notNull("card definition", definition);
    }
}
