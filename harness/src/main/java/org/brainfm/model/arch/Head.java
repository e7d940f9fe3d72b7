package org.brainfm.model.arch;

/**
 * What a network predicts. Segmentation and reconstruction decode to a map the size of the
 * input (U-Net decoder with skips; a ViT's patch decoder; Primus's decoder); classification
 * and regression pool the deepest features and apply an MLP. Outputs are logits or raw values.
 */
public record Head(Kind kind, int outputs) {
    public enum Kind { SEGMENTATION, RECONSTRUCTION, CLASSIFICATION, REGRESSION }

    public Head {
        if (outputs < 1) {
            throw new IllegalArgumentException("a head needs at least one output, not " + outputs);
        }
    }

    public static Head segmentation(int classes) {
        return new Head(Kind.SEGMENTATION, classes);
    }

    public static Head reconstruction(int channels) {
        return new Head(Kind.RECONSTRUCTION, channels);
    }

    public static Head classification(int classes) {
        return new Head(Kind.CLASSIFICATION, classes);
    }

    public static Head regression(int targets) {
        return new Head(Kind.REGRESSION, targets);
    }

    public boolean dense() {
        return kind == Kind.SEGMENTATION || kind == Kind.RECONSTRUCTION;
    }
}
