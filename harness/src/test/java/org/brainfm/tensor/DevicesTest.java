package org.brainfm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.brainfm.BrainfmException;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void gpuFailsAtOnceWithoutOneAndAutoFallsBackToTheCpu() {
        if (Engine.getEngine(Devices.ENGINE).getGpuCount() > 0) {
            assertThat(Devices.resolve("gpu").isGpu()).isTrue();
            return;
        }
        assertThatThrownBy(() -> Devices.resolve("gpu")).isInstanceOf(BrainfmException.class)
                .hasMessageContaining("--device gpu: DJL's PyTorch engine sees no GPU");
        assertThat(Devices.resolve("auto")).isEqualTo(Device.cpu());
        assertThat(Devices.resolve("cpu")).isEqualTo(Device.cpu());
    }

    @Test
    void unknownDeviceIsRejected() {
        assertThatThrownBy(() -> Devices.resolve("tpu")).isInstanceOf(BrainfmException.class).hasMessageContaining("cpu, gpu or auto");
    }
}
