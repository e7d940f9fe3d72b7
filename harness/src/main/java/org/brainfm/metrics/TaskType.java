package org.brainfm.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The three FOMO25 task types, with the metrics that fit each. */
public enum TaskType {
    @JsonProperty("segmentation")
    SEGMENTATION("segmentation", List.of("dice", "nsd", "hd95")),
    @JsonProperty("classification")
    CLASSIFICATION("classification", List.of("auroc", "accuracy", "balanced-accuracy", "f1", "average-precision")),
    @JsonProperty("regression")
    REGRESSION("regression", List.of("mae", "pearson-r"));

    private final String label;
    private final List<String> metrics;

    TaskType(String label, List<String> metrics) {
        this.label = label;
        this.metrics = metrics;
    }

    /** The type whose {@link #label} this is (how datasets.yaml and the records spell it). */
    public static TaskType of(String label) {
        for (TaskType t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no task type '" + label + "'");
    }

    /** The name datasets.yaml and the records use. */
    public String label() {
        return label;
    }

    /** Metric names a task of this type may list. */
    public List<String> metrics() {
        return metrics;
    }

    /** Segmentation labels are masks (NIfTI); the others a number in a text file. */
    public boolean labelIsImage() {
        return this == SEGMENTATION;
    }
}
