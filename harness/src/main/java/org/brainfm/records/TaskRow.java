package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;
import org.brainfm.metrics.TaskType;

/** A downstream task of a dataset, as datasets.yaml declares it. */
public record TaskRow(String id, String datasetId, TaskType type, String description, JsonNode definition) {
    public TaskRow {
        Check.name("task id", id, 100);
        Check.name("dataset id", datasetId, 100);
        Check.notNull("task type", type);
        Check.notNull("task definition", definition);
    }

    /**
     * Whether the site may show this task's per-case results (datasets.yaml's {@code public-cases}):
     * private unless declared public, since a hidden test set's per-case results tell about its labels.
     */
    public boolean casesArePublic() {
        return definition.path("public_cases").asBoolean(false);
    }
}
