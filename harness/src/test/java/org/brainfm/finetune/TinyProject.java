package org.brainfm.finetune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small project on disk for end-to-end tests: a datasets.yaml with three tiny synthetic
 * datasets (32^3 phantoms, 10 subjects) and one task of each type, and a tiny compact U-Net card
 * (widths 4-8-16, 16^3 patches) with a short finetuning recipe.
 */
public final class TinyProject {
    public static final String DATASETS = """
            datasets:
              - name: tiny-meningioma
                kind: synthetic
                contrasts: [t1, flair]
                generator: {seed: 3, subjects: 10, sessions: 1, size: 32, meningioma-share: 1, infarct-share: 0}
              - name: tiny-infarct
                kind: synthetic
                contrasts: [t1, flair]
                generator: {seed: 2, subjects: 10, sessions: 1, size: 32, meningioma-share: 0, infarct-share: 0.5}
              - name: tiny-age
                kind: synthetic
                contrasts: [t1, t2]
                generator: {seed: 4, subjects: 10, sessions: 1, size: 32, meningioma-share: 0, infarct-share: 0}
            pretraining: [tiny-age]
            tasks:
              - name: meningioma
                type: segmentation
                dataset: tiny-meningioma
                inputs: [flair, t1]
                label: seg.nii.gz
                finetune: 4
                test: 4
                metrics: [dice, nsd, hd95]
                seeds: [1, 2]
              - name: infarct
                type: classification
                dataset: tiny-infarct
                inputs: [flair]
                label: label.txt
                finetune: 4
                test: 6
                metrics: [auroc, accuracy, balanced-accuracy, f1, average-precision]
                seeds: [1]
              - name: brain-age
                type: regression
                dataset: tiny-age
                inputs: [t1, t2]
                label: age.txt
                finetune: 4
                test: 5
                metrics: [mae, pearson-r]
                seeds: [1]
            """;

    public static final String CARD = """
            name: tiny-unet
            family: cnn
            architecture: compact-unet
            citation: "a test card"
            contrasts: shared
            reference_head: pretraining
            presets:
              full:
                patch: [32, 32, 32]
                widths: [4, 8, 16]
                latent: 8
              mini:
                patch: [16, 16, 16]
                widths: [4, 8, 16]
                latent: 8
            pretraining:
              objective: cross-contrast-swap
            finetuning:
              optimizer: adamw
              lr: 1.0e-3
              weight_decay: 1.0e-2
              epochs: 2
              batch: 2
              warmup_epochs: 1
            """;

    private TinyProject() {}

    /** Writes datasets.yaml and tiny-unet.yaml into {@code dir}; returns dir. */
    public static Path write(Path dir) {
        try {
            Files.writeString(dir.resolve("datasets.yaml"), DATASETS);
            Files.writeString(dir.resolve("tiny-unet.yaml"), CARD);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
