package org.brainfm.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.brainfm.data.TaskSpec;
import org.brainfm.metrics.TaskType;
import org.brainfm.model.card.BaselineCards;
import org.brainfm.model.card.ModelCard;
import org.junit.jupiter.api.Test;

/** Finetuning recipes under FOMO25's protocol (the card's own) and SSL3D's (one fixed recipe). */
class FinetuningRecipeTest {
    private static final ModelCard UNET = BaselineCards.card("compact-unet");
    private static final ModelCard VIT = BaselineCards.card("vit-b16");

    @Test
    void fomo25IsTheCardsOwnRecipe() {
        FinetuningRecipe full = FinetuningRecipe.builder(UNET, "full", TaskType.CLASSIFICATION).setSeed(1).build();
        assertThat(full.protocol()).isEqualTo(Protocol.FOMO25);
        assertThat(full.epochs()).isEqualTo(100);
        assertThat(full.learningRate()).isEqualTo(1e-4);
        assertThat(full.weightDecay()).isEqualTo(1e-2);
        assertThat(full.warmupEpochs()).isEqualTo(5);
        FinetuningRecipe mini = FinetuningRecipe.builder(UNET, "mini", TaskType.CLASSIFICATION).setSeed(1).build();
        assertThat(mini.epochs()).isEqualTo(FinetuningRecipe.MINI_EPOCHS);
        assertThat(mini.iterations()).isEqualTo(FinetuningRecipe.MINI_ITERATIONS);
        assertThat(mini.learningRate()).isEqualTo(FinetuningRecipe.MINI_LR);
    }

    @Test
    void ssl3dIsTheSameForEveryEncoderOfAFamilyWhateverItsCardSays() {
        FinetuningRecipe unetSeg = FinetuningRecipe.builder(UNET, "full", TaskType.SEGMENTATION).optProtocol(Protocol.SSL3D)
                .setSeed(1).build();
        FinetuningRecipe vitSeg = FinetuningRecipe.builder(VIT, "full", TaskType.SEGMENTATION).optProtocol(Protocol.SSL3D)
                .setSeed(1).build();
        assertThat(unetSeg.epochs()).isEqualTo(150).isEqualTo(vitSeg.epochs());
        assertThat(unetSeg.warmupEpochs()).isEqualTo(15);
        assertThat(unetSeg.learningRate()).isEqualTo(1e-3);
        assertThat(vitSeg.learningRate()).isEqualTo(1e-4);
        FinetuningRecipe unetCls = FinetuningRecipe.builder(UNET, "full", TaskType.CLASSIFICATION).optProtocol(Protocol.SSL3D)
                .setSeed(1).build();
        FinetuningRecipe vitCls = FinetuningRecipe.builder(VIT, "full", TaskType.CLASSIFICATION).optProtocol(Protocol.SSL3D)
                .setSeed(1).build();
        assertThat(unetCls).usingRecursiveComparison().ignoringFields("card").isEqualTo(vitCls);
        assertThat(unetCls.folds()).isEqualTo(3);
        assertThat(unetCls.epochs()).isEqualTo(200);
        // at mini, scaled as FOMO25's: the same number of steps, the rate times the mini factor
        FinetuningRecipe mini = FinetuningRecipe.builder(UNET, "mini", TaskType.SEGMENTATION).optProtocol(Protocol.SSL3D)
                .setSeed(1).build();
        assertThat(mini.epochs()).isEqualTo(FinetuningRecipe.MINI_EPOCHS);
        assertThat(mini.learningRate()).isEqualTo(1e-3 * FinetuningRecipe.MINI_RATE_FACTOR);
        assertThat(mini.toConfig().get("protocol").asText()).isEqualTo("ssl3d");
    }

    @Test
    void datasetsYamlKnowsTheSameProtocols() {
        assertThat(TaskSpec.PROTOCOLS).containsExactlyElementsOf(Arrays.stream(Protocol.values()).map(Protocol::label).toList());
    }
}
