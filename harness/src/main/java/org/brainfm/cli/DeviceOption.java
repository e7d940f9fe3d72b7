package org.brainfm.cli;

import ai.djl.Device;
import org.brainfm.tensor.Devices;
import picocli.CommandLine.Option;

/** The {@code --device cpu|gpu|auto} option, for every command that runs a model (a picocli mixin). */
public final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|gpu|auto",
            description = "Where models run (default: ${DEFAULT-VALUE}: the GPU when DJL sees one). "
                    + "gpu fails at once when DJL sees none.")
    String device;

    /** The device to run on; fails with a one-line error for {@code gpu} without a GPU. */
    public Device resolve() {
        return Devices.resolve(device);
    }
}
