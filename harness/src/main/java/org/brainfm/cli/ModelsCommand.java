package org.brainfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Cost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm models}: the model cards with their parameters and forward FLOPs. */
@Command(
        name = "models",
        header = "Lists the model cards with parameters and FLOPs per preset.",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the model cards in baselines/ with, per preset (full, mini), the parameter count of",
            "the network the card describes (the model the literature reports: compact U-Net with its",
            "pretraining latent and decoder, ResEnc-L and Primus-M with a 2-class segmentation head,",
            "ViTs as encoders) and its forward FLOPs on one patch of the card's size, one input channel.",
            "Counts are analytic, layer by layer (a multiply-add is 2 FLOPs; convolutions, linear layers",
            "and attention products; norms and activations not counted); tests check them against the",
            "built DJL blocks.",
        },
        footer = {"", "Example:", "  brainfm models", "  brainfm models --json"})
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object per card and preset: name, preset, family, architecture, patch, parameters, flops.")
    boolean json;

    @Mixin
    CardsOption cards;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModelCard card : ModelCards.list(cards.folder())) {
            for (String preset : ModelCard.PRESETS) {
                Cost cost = Models.referenceCost(card, preset);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", card.name());
                row.put("preset", preset);
                row.put("family", card.family());
                row.put("architecture", card.architecture());
                row.put("patch", card.preset(preset).patch());
                row.put("parameters", cost.parameters());
                row.put("flops", cost.flops());
                rows.add(row);
            }
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            out.printf("%-14s %-6s %-12s %-13s %-12s %12s %12s%n", "NAME", "PRESET", "FAMILY", "ARCHITECTURE", "PATCH", "PARAMETERS", "GFLOPS");
            for (Map<String, Object> r : rows) {
                int[] patch = (int[]) r.get("patch");
                out.printf("%-14s %-6s %-12s %-13s %-12s %11.2fM %12.1f%n", r.get("name"), r.get("preset"), r.get("family"),
                        r.get("architecture"), patch[0] + "x" + patch[1] + "x" + patch[2],
                        (Long) r.get("parameters") / 1e6, (Long) r.get("flops") / 1e9);
            }
        }
        out.flush();
        return 0;
    }
}
