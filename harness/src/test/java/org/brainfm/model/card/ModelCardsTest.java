package org.brainfm.model.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.brainfm.BrainfmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cards that could not build what they describe fail with the file and the field named. */
class ModelCardsTest {
    @TempDir
    Path dir;

    private Path variant(String card, String from, String to) throws IOException {
        String yaml = Files.readString(BaselineCards.FOLDER.resolve(card + ".yaml"));
        assertThat(yaml).contains(from);
        Path file = dir.resolve(card + ".yaml");
        Files.writeString(file, yaml.replace(from, to));
        return file;
    }

    private static void fails(Path file, String field, String problem) {
        assertThatThrownBy(() -> ModelCards.read(file))
                .isInstanceOf(BrainfmException.class)
                .satisfies(e -> {
                    BrainfmException b = (BrainfmException) e;
                    assertThat(b.what()).isEqualTo(file + " " + field);
                    assertThat(b.problem()).contains(problem);
                });
    }

    @Test
    void everyBaselineCardReads() {
        assertThat(ModelCards.list(BaselineCards.FOLDER)).extracting(ModelCard::name)
                .containsExactly("compact-unet", "primus-m", "resenc-l", "vit-b16", "vit-l16");
    }

    @Test
    void unknownFieldIsNamedWithItsPlace() throws IOException {
        fails(variant("vit-b16", "    heads: 12\n", "    heads: 12\n    head: 3\n"), "presets.full.head", "unknown field 'head'");
    }

    @Test
    void patchNotDivisibleByTheStrideProduct() throws IOException {
        fails(variant("compact-unet", "patch: [64, 64, 64]", "patch: [64, 60, 64]"), "presets.mini.patch",
                "60 is not divisible by the network's stride product 16");
        fails(variant("vit-b16", "patch: [96, 96, 96]", "patch: [96, 96, 100]"), "presets.full.patch", "stride product 16");
    }

    @Test
    void bottleneckOfOneVoxelIsRejected() throws IOException {
        fails(variant("resenc-l", "patch: [64, 64, 64]", "patch: [32, 32, 32]"), "presets.mini.patch", "bottleneck under 2");
    }

    @Test
    void headsMustDivideTheWidth() throws IOException {
        fails(variant("vit-l16", "heads: 4", "heads: 5"), "presets.mini.heads", "must divide dim 256");
        fails(variant("primus-m", "heads: 2", "heads: 3"), "presets.mini.heads", "divisible by 6");
    }

    @Test
    void statedParametersMustMatchTheBuiltModel() throws IOException {
        fails(variant("compact-unet", "parameters: 18900000", "parameters: 25000000"), "presets.full.parameters",
                "states 25000000 but the pretraining model built from this preset has 18896449");
    }

    @Test
    void fieldsOfAnotherArchitectureAreRejected() throws IOException {
        String mini = "    widths: [8, 16, 32, 64, 80, 80]\n    blocks: [1, 3, 4, 6, 6, 6]\n";
        fails(variant("resenc-l", mini, mini + "    latent: 4\n"), "presets.mini.latent", "does not apply to architecture resenc-unet");
        fails(variant("resenc-l", mini, "    widths: [8, 16, 32, 64, 80, 80]\n"), "presets.mini.blocks", "is required");
        fails(variant("resenc-l", mini, "    widths: [8, 16, 32, 64, 80, 80]\n    blocks: [1, 3, 4]\n"), "presets.mini.blocks", "each of the 6 stages");
    }

    @Test
    void wrongTypesAndFamilies() throws IOException {
        fails(variant("vit-b16", "dim: 192", "dim: wide"), "presets.mini.dim", "");
        fails(variant("vit-b16", "family: transformer", "family: cnn"), "family", "must be transformer");
        fails(variant("vit-b16", "contrasts: shared", "contrasts: mixed"), "contrasts", "stacked or shared");
    }
}
