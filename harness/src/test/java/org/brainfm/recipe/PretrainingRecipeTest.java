package org.brainfm.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.brainfm.model.card.BaselineCards;
import org.brainfm.model.card.ModelCard;
import org.junit.jupiter.api.Test;

/** A pretraining recipe from a card, a preset and overrides. */
class PretrainingRecipeTest {
    @Test
    void miniMaskCubesShrinkWithThePatchForTransformersToo() {
        ModelCard vit = BaselineCards.card("vit-b16");
        // 16-voxel cubes of a 96^3 patch become 4-voxel cubes of the 32^3 mini patch, below the 8-voxel token
        assertThat(PretrainingRecipe.builder(vit, "mini").optObjective("mae").build().batches().maskUnit()).isEqualTo(4);
        assertThat(PretrainingRecipe.builder(vit, "full").optObjective("mae").build().batches().maskUnit()).isEqualTo(16);
        assertThat(PretrainingRecipe.builder(BaselineCards.card("compact-unet"), "mini").optObjective("mae").build()
                .batches().maskUnit()).isEqualTo(4);
    }

    @Test
    void miniTakesTheMiniScheduleAndTheCardsMiniRate() {
        PretrainingRecipe unet = PretrainingRecipe.builder(BaselineCards.card("compact-unet"), "mini").build();
        assertThat(unet.objective()).isEqualTo(PretrainingRecipe.CROSS_CONTRAST_SWAP);
        assertThat(unet.training().epochs()).isEqualTo(PretrainingRecipe.MINI_EPOCHS);
        assertThat(unet.training().iterationsPerEpoch()).isEqualTo(PretrainingRecipe.MINI_ITERATIONS);
        assertThat(unet.training().learningRate()).isEqualTo(PretrainingRecipe.MINI_LR);
        assertThat(unet.batches().patch()).containsExactly(32, 32, 32);
        assertThat(PretrainingRecipe.builder(BaselineCards.card("vit-b16"), "mini").build().training().learningRate())
                .isEqualTo(5e-4);
    }

    @Test
    void overridesWinAndTheConfigurationSaysWhatRan() {
        PretrainingRecipe r = PretrainingRecipe.builder(BaselineCards.card("compact-unet"), "mini").optObjective("mae")
                .optEpochs(3).optIterations(5).optBatch(4).optPatch(16).optLearningRate(1e-3).optSeed(9).build();
        assertThat(r.toConfig().get("epochs").asInt()).isEqualTo(3);
        assertThat(r.toConfig().get("iterations_per_epoch").asInt()).isEqualTo(5);
        assertThat(r.toConfig().get("batch").asInt()).isEqualTo(4);
        assertThat(r.toConfig().get("patch").asInt()).isEqualTo(16);
        assertThat(r.toConfig().get("lr").asDouble()).isEqualTo(1e-3);
        assertThat(r.toConfig().get("seed").asLong()).isEqualTo(9);
        assertThat(r.toConfig().get("mask_ratio").asText()).isEqualTo("0.75");
    }

    @Test
    void anUnknownObjectiveIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> PretrainingRecipe.builder(BaselineCards.card("compact-unet"), "mini").optObjective("dino")
                .build()).hasMessageContaining("'dino' is not implemented").hasMessageContaining("cross-contrast-swap");
    }
}
