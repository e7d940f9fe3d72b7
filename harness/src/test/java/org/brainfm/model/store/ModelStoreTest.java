package org.brainfm.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.brainfm.BrainfmException;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.BaselineCards;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @Test
    void savedParametersComeBackWithTheirProvenance(@TempDir Path dir) {
        ModelCard card = BaselineCards.card("vit-b16");
        Shape input = new Shape(1, 1, 32, 32, 32);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Network saved = Models.build(card, "mini", Head.classification(2), 1);
            saved.initialize(manager, DataType.FLOAT32, input);
            Provenance provenance = new Provenance("vit-b16", "mini", "classification", 2, 1, "abc123", 42, "synthetic", 3,
                    "run-7", ModelStore.countParameters(saved), "2025-01-01T00:00:00Z");
            ModelStore.save(saved, provenance, dir);
            assertThat(ModelStore.provenance(dir)).isEqualTo(provenance);

            Network loaded = Models.build(card, "mini", Head.classification(2), 1);
            ModelStore.load(loaded, manager, dir);
            NDArray x = manager.randomNormal(input);
            NDArray a = saved.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            NDArray b = loaded.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());

            Network other = Models.build(BaselineCards.card("vit-l16"), "mini", Head.classification(2), 1);
            assertThatThrownBy(() -> ModelStore.load(other, manager, dir)).isInstanceOf(BrainfmException.class)
                    .hasMessageContaining("saved from card vit-b16");
        }
    }
}
