package org.brainfm.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.brainfm.data.TaskSpec;
import org.brainfm.metrics.TaskType;
import org.brainfm.model.card.BaselineCards;
import org.brainfm.model.card.ModelCard;
import org.brainfm.train.Augment;
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
        FinetuningRecipe mini = FinetuningRecipe.builder(UNET, "mini", TaskType.SEGMENTATION).setSeed(1).build();
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
    void imageLevelTasksAtMiniSeeTheWholeHeadCoarselyForMoreSteps() {
        for (ModelCard card : new ModelCard[] {UNET, VIT}) {
            FinetuningRecipe age = FinetuningRecipe.builder(card, "mini", TaskType.REGRESSION).setSeed(1).build();
            FinetuningRecipe infarct = FinetuningRecipe.builder(card, "mini", TaskType.CLASSIFICATION).setSeed(1).build();
            for (FinetuningRecipe r : List.of(age, infarct)) {
                assertThat(r.epochs()).isEqualTo(8);
                assertThat(r.learningRate()).isEqualTo(1e-3);
                assertThat(r.patch()).containsExactly(32, 32, 32);
                assertThat(r.spacing()).containsExactly(6, 6, 6);
                assertThat(r.toConfig().get("patch").toString()).isEqualTo("[32,32,32]");
            }
            // regression: more steps, flips only (with nothing it memorised); classification: the full augmentation
            assertThat(age.iterations()).isEqualTo(150);
            assertThat(age.augment()).isEqualTo(Augment.flipsOnly());
            assertThat(age.toConfig().get("augment").asText()).isEqualTo("flips");
            assertThat(infarct.iterations()).isEqualTo(75);
            assertThat(infarct.augment()).isEqualTo(Augment.defaults());
        }
        // what the user sets wins
        FinetuningRecipe set = FinetuningRecipe.builder(UNET, "mini", TaskType.REGRESSION).setSeed(1).optEpochs(2).optIterations(3)
                .optLearningRate(0.5).optPatch(64).optSpacing(new double[] {3, 3, 3}).optAugment(Augment.none()).build();
        assertThat(set.epochs()).isEqualTo(2);
        assertThat(set.iterations()).isEqualTo(3);
        assertThat(set.learningRate()).isEqualTo(0.5);
        assertThat(set.patch()).containsExactly(64, 64, 64);
        assertThat(set.spacing()).containsExactly(3, 3, 3);
        assertThat(set.toConfig().get("augment").asText()).isEqualTo("none");
        // other tasks and the full preset keep the preset's patch, the input's voxels and the full augmentation
        FinetuningRecipe seg = FinetuningRecipe.builder(UNET, "mini", TaskType.SEGMENTATION).setSeed(1).build();
        FinetuningRecipe full = FinetuningRecipe.builder(UNET, "full", TaskType.REGRESSION).setSeed(1).build();
        assertThat(seg.patch()).containsExactly(64, 64, 64);
        assertThat(full.patch()).containsExactly(96, 96, 96);
        assertThat(seg.spacing()).isNull();
        assertThat(full.spacing()).isNull();
        assertThat(seg.augment()).isEqualTo(Augment.defaults()).isEqualTo(full.augment());
        // a patch the network cannot take is refused with the reason
        assertThatThrownBy(() -> FinetuningRecipe.builder(VIT, "mini", TaskType.REGRESSION).setSeed(1).optPatch(40).build())
                .hasMessageContaining("--patch").hasMessageContaining("40 is not divisible by the network's stride product 16");
    }

    @Test
    void datasetsYamlKnowsTheSameProtocols() {
        assertThat(TaskSpec.PROTOCOLS).containsExactlyElementsOf(Arrays.stream(Protocol.values()).map(Protocol::label).toList());
    }
}
