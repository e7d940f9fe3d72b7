package org.brainfm.tensor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.brainfm.BrainfmException;

/**
 * Resolves {@code --device cpu|gpu|auto}. DJL falls back to the CPU without a word when CUDA
 * cannot be used, so asking for the GPU fails here, at once, instead.
 */
public final class Devices {
    /** The engine models train on. */
    public static final String ENGINE = "PyTorch";

    private Devices() {}

    public static Device resolve(String choice) {
        return switch (choice == null ? "auto" : choice) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                int gpus = gpuCount();
                if (gpus == 0) {
                    throw new BrainfmException("--device gpu", "DJL's PyTorch engine sees no GPU (no CUDA device, or the "
                            + "CPU-only libtorch is on the class path); use --device cpu or auto");
                }
                yield Device.gpu();
            }
            case "auto" -> gpuCount() > 0 ? Device.gpu() : Device.cpu();
            default -> throw new BrainfmException("--device", "must be cpu, gpu or auto, not '" + choice + "'");
        };
    }

    /** A manager on the PyTorch engine (ONNX Runtime is on the class path too and may rank first). */
    public static NDManager manager(Device device) {
        return NDManager.newBaseManager(device, ENGINE);
    }

    private static int gpuCount() {
        return Engine.getEngine(ENGINE).getGpuCount();
    }
}
