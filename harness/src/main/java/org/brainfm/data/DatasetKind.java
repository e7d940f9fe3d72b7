package org.brainfm.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a dataset's files are found. */
public enum DatasetKind {
    /** The phantom, made from {@code generator} settings into {@code path} on first use. */
    @JsonProperty("synthetic")
    SYNTHETIC("synthetic"),
    /** FOMO layout: {@code path/sub_N/ses_M/<contrast>.nii.gz}, labels beside or under {@code labels}. */
    @JsonProperty("fomo")
    FOMO("fomo"),
    /** nnU-Net raw layout: {@code imagesTr/<case>_<channel>.nii.gz}, {@code labelsTr/<case>.nii.gz}. */
    @JsonProperty("nnunet")
    NNUNET("nnunet"),
    /** Named files under {@code path}, one subject each, listed in {@code subjects}. */
    @JsonProperty("files")
    FILES("files");

    private final String label;

    DatasetKind(String label) {
        this.label = label;
    }

    /** The name datasets.yaml uses. */
    public String label() {
        return label;
    }
}
