package org.brainfm.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.List;
import org.brainfm.BrainfmException;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.arch.UNetPretraining;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.model.store.ModelStore;
import org.brainfm.model.store.Provenance;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PretrainedWeightsTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void copiesThePretrainedEncoderAndLeavesTheHeadAlone(boolean encoderFolder, @TempDir Path dir) {
        ModelCard card = ModelCards.read(TinyProject.write(dir).resolve("tiny-unet.yaml"));
        Path saved = dir.resolve("run-5");
        try (NDManager manager = Devices.manager(Device.cpu())) {
            UNetPretraining pretrained = Models.pretraining(card, "mini");
            pretrained.initialize(manager, DataType.FLOAT32, Models.inputShape(card, "mini", 1));
            if (encoderFolder) {
                // as brainfm pretrain saves it: the encoder alone, in its own folder
                ModelStore.save(pretrained.encoder(), new Provenance(card.name(), "mini", "encoder", 0, 1, "test", 1, "tiny", 1, "5",
                        ModelStore.countParameters(pretrained.encoder()), "2026-01-01T00:00:00Z"), saved.resolve(PretrainedWeights.ENCODER));
            } else {
                ModelStore.save(pretrained, new Provenance(card.name(), "mini", "pretraining:cross-contrast-swap", 1, 1, "test", 1,
                        "tiny", 1, "5", ModelStore.countParameters(pretrained), "2026-01-01T00:00:00Z"), saved);
            }

            Network target = Models.build(card, "mini", Head.segmentation(2), 2);
            target.initialize(manager, DataType.FLOAT32, Models.inputShape(card, "mini", 2));
            List<float[]> headBefore = values(target.head().getParameters());
            new PretrainedWeights(5L, saved).copyEncoderInto(target, card, "mini", manager);

            List<float[]> source = values(pretrained.encoder().getParameters());
            List<float[]> copied = values(target.encoder().getParameters());
            assertThat(copied).hasSameSizeAs(source);
            for (int i = 0; i < source.size(); i++) {
                assertThat(copied.get(i)).containsExactly(source.get(i));
            }
            List<float[]> headAfter = values(target.head().getParameters());
            for (int i = 0; i < headBefore.size(); i++) {
                assertThat(headAfter.get(i)).containsExactly(headBefore.get(i));
            }
            for (Pair<String, Parameter> p : target.encoder().getParameters()) {
                assertThat(p.getValue().getArray().hasGradient()).as(p.getKey()).isTrue();
            }

            assertThatThrownBy(() -> new PretrainedWeights(5L, saved).copyEncoderInto(target, card, "full", manager))
                    .isInstanceOf(BrainfmException.class).hasMessageContaining("was pretrained as tiny-unet (mini)");
        }
    }

    private static List<float[]> values(ai.djl.util.PairList<String, Parameter> parameters) {
        return parameters.values().stream().map(p -> p.getArray().toFloatArray()).toList();
    }
}
