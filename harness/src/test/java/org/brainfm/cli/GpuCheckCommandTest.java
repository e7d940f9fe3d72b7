package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.brainfm.model.card.ModelCards;
import org.brainfm.speed.StepTimer;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuCheckCommandTest {
    private static final String UNET = "../baselines/compact-unet.yaml";
    private static final String VIT = "../baselines/vit-b16.yaml";

    @Test
    void gpuWithoutOneIsAOneLineErrorAndExitTwo() {
        assumeTrue(Engine.getEngine(Devices.ENGINE).getGpuCount() == 0, "this machine has a GPU");
        CliRun run = CliRun.of("gpu-check", "--card", UNET, "--preset", "mini", "--size", "32");
        assertThat(run.exitCode()).isEqualTo(Main.ERROR_EXIT);
        assertThat(run.err().strip()).startsWith("brainfm: --device gpu: DJL's PyTorch engine sees no GPU").doesNotContain("\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void timesBothNetworksOnTheCpuAndWritesTheFigures(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("steps.json");
        CliRun run = CliRun.of("gpu-check", "--device", "cpu", "--card", UNET + "," + VIT, "--preset", "mini", "--size", "32",
                "--batch", "1", "--steps", "1", "--warmup", "0", "--update", "brainfm,djl", "--json", json.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("DJL PyTorch engine, libtorch ").contains("0 GPU(s) seen; running on cpu()");
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results).hasSize(4);
        for (JsonNode r : results) {
            String card = r.get("card").asText();
            long expected = StepTimer.network(ModelCards.read(Path.of("../baselines", card + ".yaml")), "mini", 32)
                    .cost(new Shape(1, 1, 32, 32, 32)).parameters();
            assertThat(r.get("parameters").asLong()).as(card).isEqualTo(expected);
            assertThat(r.get("parameterDevice").asText()).isEqualTo("cpu()");
            assertThat(r.get("stepMs")).hasSize(1);
            assertThat(r.get("bestMs").asDouble()).isPositive().isLessThanOrEqualTo(r.get("medianMs").asDouble());
            assertThat(r.get("phaseMs").fieldNames()).toIterable().containsExactly("forward", "backward", "update");
            assertThat(r.get("lastLoss").asDouble()).isFinite().isPositive();
            assertThat(run.out()).contains(card + " mini 32^3 x1, " + r.get("update").asText() + " AdamW: ");
        }
        assertThat(results.get(0).get("head").asText()).isEqualTo("segmentation");
        assertThat(results.get(2).get("head").asText()).isEqualTo("classification");
    }

    @Test
    void fullNetworksHaveTheParameterCountsOfTheirPyTorchTwins() {
        // torch_twin.py printed these for its UNet() and ViT(128) (torch 2.13, CPU): the networks match.
        assertThat(StepTimer.network(ModelCards.read(Path.of(UNET)), "full", 128).cost(new Shape(2, 1, 128, 128, 128)).parameters())
                .isEqualTo(20_229_730L);
        assertThat(StepTimer.network(ModelCards.read(Path.of(VIT)), "full", 128).cost(new Shape(2, 1, 128, 128, 128)).parameters())
                .isEqualTo(89_187_842L);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertThat(CliRun.of("gpu-check", "--device", "cpu", "--card", UNET, "--size", "24").err().strip())
                .isEqualTo("brainfm: --size: must be a multiple of 16 for compact-unet, not 24");
        assertThat(CliRun.of("gpu-check", "--device", "cpu", "--update", "sgd").err().strip())
                .isEqualTo("brainfm: --update: must be brainfm or djl, not 'sgd'");
        assertThat(CliRun.of("gpu-check", "--device", "cpu", "--steps", "0").err().strip())
                .isEqualTo("brainfm: --steps: must be at least 1, not 0");
        assertThat(CliRun.of("gpu-check", "--device", "cpu", "--card", "no/such.yaml").exitCode()).isEqualTo(Main.ERROR_EXIT);
    }
}
