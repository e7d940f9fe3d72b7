package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void jsonHasOneObjectPerCardAndPreset() throws Exception {
        assertThat(run("models", "--json", "--cards", "../baselines")).isZero();
        JsonNode rows = new ObjectMapper().readTree(out.toString());
        assertThat(rows).hasSize(10);
        for (JsonNode row : rows) {
            assertThat(row.fieldNames()).toIterable().contains("name", "preset", "family", "parameters", "flops");
            assertThat(row.get("parameters").asLong()).isPositive();
            assertThat(row.get("flops").asLong()).isPositive();
        }
        JsonNode unet = rows.get(0);
        assertThat(unet.get("name").asText()).isEqualTo("compact-unet");
        assertThat(unet.get("preset").asText()).isEqualTo("full");
        assertThat(unet.get("parameters").asLong()).isEqualTo(18_896_449L);
    }

    /**
     * The comparison is about size: at mini scale every baseline keeps its full preset's size
     * against the compact U-Net (the transformers several times larger), within 25 %, and the
     * cards keep their order by size.
     */
    @Test
    void miniPresetsKeepTheFullPresetsProportionsToTheCompactUnet() throws Exception {
        assertThat(run("models", "--json", "--cards", "../baselines")).isZero();
        Map<String, Long> full = new TreeMap<>();
        Map<String, Long> mini = new TreeMap<>();
        for (JsonNode row : new ObjectMapper().readTree(out.toString())) {
            (row.get("preset").asText().equals("full") ? full : mini).put(row.get("name").asText(), row.get("parameters").asLong());
        }
        for (String card : full.keySet()) {
            double fullRatio = (double) full.get(card) / full.get("compact-unet");
            double miniRatio = (double) mini.get(card) / mini.get("compact-unet");
            assertThat(miniRatio / fullRatio).as("%s: mini %.2fx the compact U-Net, full %.2fx", card, miniRatio, fullRatio)
                    .isBetween(0.8, 1.25);
        }
        assertThat(mini.keySet().stream().sorted(Comparator.comparing(mini::get)).toList())
                .isEqualTo(full.keySet().stream().sorted(Comparator.comparing(full::get)).toList());
    }

    @Test
    void tableListsEveryCard() {
        assertThat(run("models", "--cards", "../baselines")).isZero();
        assertThat(out.toString()).contains("compact-unet", "resenc-l", "vit-b16", "vit-l16", "primus-m", "18.90M", "146.60M");
    }

    @Test
    void badCardIsOneLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.yaml"), "name: x\nfamily: cnn\nwidth: 3\n");
        assertThat(run("models", "--cards", dir.toString())).isEqualTo(Main.ERROR_EXIT);
        assertThat(err.toString().strip()).isEqualTo("brainfm: " + dir.resolve("x.yaml") + " width: unknown field 'width'");
    }

    @Test
    void missingDirectoryIsOneLine() {
        assertThat(run("models", "--cards", "no/such/dir")).isEqualTo(Main.ERROR_EXIT);
        assertThat(err.toString()).startsWith("brainfm: no/such/dir: no such directory");
    }
}
