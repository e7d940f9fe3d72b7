package org.brainfm.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.layer.Pass;
import org.brainfm.recipe.PretrainingRecipe;
import org.brainfm.tensor.Devices;
import org.brainfm.tensor.FreedMemory;
import org.brainfm.train.Seeds;
import org.brainfm.train.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every objective's gradients are finite and do not depend on when the Java heap is collected:
 * the same step computed twice, once with a collection (and the freed memory reused) between
 * forward and backward, gives the same gradients bit for bit. Before the losses' constants were
 * held by libtorch (org.brainfm.tensor.Tensors), the collection changed them, at times to NaN.
 */
class GradientsTest {
    @TempDir
    static Path tmp;

    static Corpus corpus;

    @BeforeAll
    static void setUp() throws IOException {
        corpus = TinyCorpus.open(tmp);
    }

    private static List<float[]> gradients(Objective o, List<Parameter> parameters, NDManager manager, boolean collect) {
        ParameterStore store = new ParameterStore(manager, false);
        List<float[]> out = new ArrayList<>();
        try (NDManager stepManager = manager.newSubManager(); NDScope scope = new NDScope()) {
            Step step = new Step(stepManager, new Pass(store, true), Seeds.forStep(7, 0), 0, 0, 0, 1, 1);
            try (GradientCollector collector = Engine.getEngine(Devices.ENGINE).newGradientCollector()) {
                var losses = o.compute(step);
                if (collect) {
                    FreedMemory.collectAndReuse();
                }
                collector.backward(losses.total());
            }
            for (Parameter p : parameters) {
                out.add(p.getArray().getGradient().toFloatArray());
                JniUtils.zeroGrad((PtNDArray) p.getArray());
            }
        }
        return out;
    }

    /** What is wrong with the two computations' gradients, or null when they are finite and equal. */
    private static String compare(List<Parameter> parameters, List<float[]> quiet, List<float[]> collected) {
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).getName();
            int nonFinite = 0;
            int differ = 0;
            for (int k = 0; k < quiet.get(i).length; k++) {
                nonFinite += Float.isFinite(quiet.get(i)[k]) && Float.isFinite(collected.get(i)[k]) ? 0 : 1;
                differ += Float.compare(quiet.get(i)[k], collected.get(i)[k]) == 0 ? 0 : 1;
            }
            if (nonFinite > 0) {
                return nonFinite + " non-finite gradients of " + name;
            }
            if (differ > 0) {
                return differ + " gradients of " + name + " that a collection changed";
            }
        }
        return null;
    }

    @ParameterizedTest
    @CsvSource({"compact-unet, mae", "compact-unet, anatomy-split", "compact-unet, cross-contrast-swap", "vit-b16, mae"})
    void gradientsAreFiniteAndTheSameWhateverTheCollectorDoes(String card, String objective) {
        ModelCard c = ModelCards.read(TinyCorpus.BASELINES.resolve(card + ".yaml"));
        PretrainingRecipe recipe = PretrainingRecipe.builder(c, "mini").optObjective(objective).optPatch(32).optBatch(1).build();
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(7);
            Objective o = Objectives.create(recipe, c, corpus);
            o.initialize(manager);
            List<Parameter> parameters = new ArrayList<>();
            for (Block b : o.blocks()) {
                for (Pair<String, Parameter> p : b.getParameters()) {
                    parameters.add(p.getValue());
                }
            }
            String problem = compare(parameters, gradients(o, parameters, manager, false),
                    gradients(o, parameters, manager, true));
            assertThat(problem).as("the step without and with a collection before backward").isNull();
        }
    }
}
