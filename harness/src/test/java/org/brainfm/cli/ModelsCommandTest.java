package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
