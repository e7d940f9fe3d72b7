package org.brainfm.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.speed.StepTimer;
import org.brainfm.tensor.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm gpu-check}: is DJL on the GPU, and how long is one training step there. */
@Command(
        name = "gpu-check",
        header = "Times one training step on the GPU; fails when it lands on the CPU.",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = {
            "Checks that DJL's PyTorch engine runs on the device asked for (fails when a GPU run",
            "landed on the CPU) and times one training step (forward, backward, AdamW) of each",
            "card's network on random input: CNNs with a 2-class segmentation head and voxel-wise",
            "cross-entropy, transformers with a 2-class classification head. The PyTorch twin",
            "scripts/device/torch_twin.py builds the same networks; docs/gpu.md compares them.",
        },
        footer = {"", "Example:",
            "  brainfm gpu-check                   (full compact U-Net and ViT-B/16, 128^3, batch 2, on the GPU)",
            "  brainfm gpu-check --device cpu --size 32 --batch 1 --steps 1 --json steps.json"})
public final class GpuCheckCommand implements Callable<Integer> {
    @Option(names = "--card", paramLabel = "FILE", split = ",",
            description = "Model cards to time (default: baselines/compact-unet.yaml,baselines/vit-b16.yaml).")
    List<Path> cards = List.of(Path.of("baselines", "compact-unet.yaml"), Path.of("baselines", "vit-b16.yaml"));

    @Option(names = "--preset", defaultValue = "full", paramLabel = "full|mini", description = "Network size (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--size", defaultValue = "128", paramLabel = "EDGE", description = "Cubic input edge in voxels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "N", description = "Inputs per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "5", paramLabel = "N", description = "Timed steps, and as many profiled ones (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--update", defaultValue = "brainfm", split = ",", paramLabel = "brainfm|djl",
            description = "Whose AdamW: brainfm (the harness's, as pretraining uses) and/or djl (DJL's fused one) (default: ${DEFAULT-VALUE}).")
    List<String> updates;

    @Option(names = "--device", defaultValue = "gpu", paramLabel = "gpu|cpu|auto",
            description = "Where to run (default: ${DEFAULT-VALUE}; fails at once when DJL sees no GPU).")
    String device;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures there, one JSON object per card and update.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        positive("--size", size);
        positive("--batch", batch);
        positive("--steps", steps);
        if (warmup < 0) {
            throw new BrainfmException("--warmup", "must be at least 0, not " + warmup);
        }
        List<StepTimer.Update> kinds = new ArrayList<>();
        for (String u : updates) {
            try {
                kinds.add(StepTimer.Update.valueOf(u.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new BrainfmException("--update", "must be brainfm or djl, not '" + u + "'");
            }
        }
        List<ModelCard> read = new ArrayList<>();
        for (Path c : cards) {
            ModelCard card = ModelCards.read(c);
            card.preset(preset);
            read.add(card);
        }
        Device dev = Devices.resolve(device);
        Engine engine = Engine.getEngine(Devices.ENGINE);
        out.printf(Locale.ROOT, "DJL %s engine, libtorch %s: %d GPU(s) seen; running on %s; cudnn benchmark %s%n",
                engine.getEngineName(), engine.getVersion(), engine.getGpuCount(), dev,
                Boolean.getBoolean("ai.djl.pytorch.cudnn_benchmark") ? "on" : "off");
        out.flush();
        List<StepTimer.Result> results = new ArrayList<>();
        for (ModelCard card : read) {
            for (StepTimer.Update kind : kinds) {
                StepTimer.Result r = StepTimer.time(card, preset, dev, new StepTimer.Settings(size, batch, steps, warmup, kind));
                results.add(r);
                out.printf(Locale.ROOT, "%s %s %d^3 x%d, %s AdamW: %,d parameters on %s; step best %.1f ms, median %.1f ms "
                        + "(forward %.1f, backward %.1f, update %.1f); loss %.4f -> %.4f%n",
                        r.card(), r.preset(), r.size(), r.batch(), r.update(), r.parameters(), r.parameterDevice(), r.bestMs(),
                        r.medianMs(), r.phaseMs().get("forward"), r.phaseMs().get("backward"), r.phaseMs().get("update"),
                        r.firstLoss(), r.lastLoss());
                out.flush();
            }
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                throw new BrainfmException("--json", "folder " + parent + " does not exist");
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
        }
        return 0;
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new BrainfmException(option, "must be at least 1, not " + value);
        }
    }
}
