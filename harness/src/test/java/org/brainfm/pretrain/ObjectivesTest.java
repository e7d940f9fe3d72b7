package org.brainfm.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.recipe.PretrainingRecipe;
import org.brainfm.tensor.Devices;
import org.brainfm.train.EpochSummary;
import org.brainfm.train.Seeds;
import org.brainfm.train.TrainConfig;
import org.brainfm.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short training run of each objective on the tiny phantom: finite losses, the documented terms. */
class ObjectivesTest {
    @TempDir
    static Path tmp;

    static Corpus corpus;

    @BeforeAll
    static void setUp() throws IOException {
        corpus = TinyCorpus.open(tmp);
    }

    /** Two steps of one patch of 32^3 with {@code objective} on {@code card}'s mini preset. */
    private static EpochSummary train(String card, String objective) {
        ModelCard c = ModelCards.read(TinyCorpus.BASELINES.resolve(card + ".yaml"));
        PretrainingRecipe recipe = PretrainingRecipe.builder(c, "mini").optObjective(objective).optPatch(32).optBatch(1).build();
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(5);
            Objective o = Objectives.create(recipe, c, corpus);
            o.initialize(manager);
            List<EpochSummary> epochs = new ArrayList<>();
            new Trainer(new TrainConfig(1, 2, 1e-3, 1e-5, 1e-2, 0, 1.0, 5), o.blocks(), o, manager)
                    .onEpoch(epochs::add).fit(false);
            assertThat(o.name()).isEqualTo(objective.equals("amaes") ? MaskedReconstruction.NAME : objective);
            return epochs.get(0);
        }
    }

    private static void assertFinite(EpochSummary e) {
        assertThat(e.loss()).isFinite().isPositive();
        e.terms().values().forEach(v -> assertThat(v).isFinite());
    }

    @Test
    void maskedReconstructionOnTheVit() {
        EpochSummary e = train("vit-b16", "mae");
        assertFinite(e);
        assertThat(e.terms()).containsOnlyKeys("reconstruction");
        assertThat(e.loss()).isCloseTo(e.terms().get("reconstruction"), within(1e-6));
    }

    @Test
    void amaesOnTheUnet() {
        EpochSummary e = train("compact-unet", "amaes");
        assertFinite(e);
        assertThat(e.terms()).containsOnlyKeys("reconstruction");
        assertThat(e.loss()).isCloseTo(e.terms().get("reconstruction"), within(1e-6));
    }

    @Test
    void anatomySplitAddsAnatomyAndPathologyWithTheirWeights() {
        EpochSummary e = train("compact-unet", AnatomySplit.NAME);
        assertFinite(e);
        assertThat(e.terms()).containsOnlyKeys("reconstruction", "anatomy", "pathology");
        // 1 - cosine lies in [0, 2]; binary cross entropy is positive.
        assertThat(e.terms().get("anatomy")).isBetween(0.0, 2.0);
        assertThat(e.terms().get("pathology")).isPositive();
        double weighted = 0.7 * e.terms().get("reconstruction") + 0.15 * e.terms().get("anatomy") + 0.15 * e.terms().get("pathology");
        assertThat(e.loss()).isCloseTo(weighted, within(1e-4 * Math.abs(weighted)));
    }

    @Test
    void crossContrastSwapHasItsFiveTerms() {
        EpochSummary e = train("compact-unet", CrossContrastSwap.NAME);
        assertFinite(e);
        assertThat(e.terms()).containsOnlyKeys("self_reconstruction", "cross_reconstruction", "kl", "subject_cosine", "modality_cosine");
        assertThat(e.terms().get("kl")).isGreaterThanOrEqualTo(0.0);
        assertThat(e.terms().get("self_reconstruction")).isPositive();
        assertThat(e.terms().get("cross_reconstruction")).isPositive();
    }
}
