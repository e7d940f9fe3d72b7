package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.metrics.Holm;
import org.brainfm.metrics.PermutationTest;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;
import org.brainfm.study.Study;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /compare} says only what the numbers support (differences with their interval and
 * p-value, a verdict only where the interval excludes 0, one kind of hour per axis, labelled
 * points, unscored tasks said so, the runs behind each score), and a task page's pairwise
 * significance table; over the site's fixture plus one task nobody was scored on.
 */
class CompareTest {
    @TempDir
    static Path dir;
    static Records records;
    static Fixture data;
    static final String UNSCORED = "stroke-volume";

    @BeforeAll
    static void fill() {
        records = Records.open(Fixture.url(dir));
        data = new Fixture(records);
        records.catalog().putTask(new TaskRow(UNSCORED, "phantom", TaskType.REGRESSION, "Lesion volume, not scored yet",
                Fixture.json("{\"contrasts\": [\"flair\"]}")));
    }

    @AfterAll
    static void close() {
        records.close();
    }

    @Test
    void theComparisonGivesDifferencesWithIntervalsAndAVerdictOnlyWhereTheySupportOne() {
        SiteTest.serve(records, (server, client) -> {
            JsonNode api = SiteTest.json(client.get("/api/compare"));
            Map<String, JsonNode> tasks = new HashMap<>();
            api.get("tasks").forEach(t -> tasks.put(t.get("task").asText(), t));
            assertThat(api.get("permutations").asInt()).isEqualTo(Study.PERMUTATIONS);

            // segmentation: the difference of the mean per-case Dice, computed here from the cases
            JsonNode seg = tasks.get(Fixture.SEGMENTATION);
            assertThat(seg.get("metric").asText()).isEqualTo("dice");
            assertThat(seg.get("cnn").get("entry_id").asLong()).isEqualTo(data.unet);
            assertThat(seg.get("transformer").get("entry_id").asLong()).isEqualTo(data.vit);
            long unetRun = data.boardRuns.get(data.unet).get(Fixture.SEGMENTATION);
            long vitRun = data.boardRuns.get(data.vit).get(Fixture.SEGMENTATION);
            assertThat(seg.get("cnn").get("seed_runs").get(0).get("run_id").asLong()).isEqualTo(unetRun);
            double[] unetDice = dice(unetRun);
            double[] vitDice = dice(vitRun);
            JsonNode d = seg.get("differences").get(0);
            assertThat(d.get("headline").asBoolean()).isTrue();
            assertThat(d.get("difference").asDouble()).isCloseTo(mean(unetDice) - mean(vitDice), within(1e-12));
            assertThat(d.get("cases").asInt()).isEqualTo(Fixture.SEGMENTATION_CASES);
            assertThat(d.get("ci_low").asDouble()).isLessThan(d.get("difference").asDouble());
            assertThat(d.get("ci_high").asDouble()).isGreaterThan(d.get("difference").asDouble());
            // the p-value is the sign-flip test with the stated permutations and seed, computed here
            PermutationTest.Result flip = PermutationTest.signFlip(unetDice, vitDice, Study.PERMUTATIONS, Snapshot.SEED);
            assertThat(d.get("p").asDouble()).isEqualTo(flip.pValue());
            // two headline tests (segmentation, classification; the regression fixture stores no predictions)
            JsonNode cls = tasks.get(Fixture.CLASSIFICATION).get("differences").get(0);
            assertThat(cls.get("metric").asText()).isEqualTo("accuracy");
            assertThat(cls.get("untested").isNull()).isTrue();
            assertThat(cls.get("cases").asInt()).isEqualTo(Fixture.CLASSIFICATION_CASES);
            double[] holm = Holm.adjust(new double[] {d.get("p").asDouble(), cls.get("p").asDouble()});
            assertThat(d.get("p_holm").asDouble()).isEqualTo(holm[0]);
            assertThat(cls.get("p_holm").asDouble()).isEqualTo(holm[1]);
            // the verdict follows the rule: interval clear of 0 and corrected p under 0.05, else none
            for (JsonNode t : api.get("tasks")) {
                JsonNode h = t.get("differences").size() == 0 ? null : t.get("differences").get(0);
                boolean supported = h != null && h.get("untested").isNull()
                        && (h.get("ci_low").asDouble() > 0 || h.get("ci_high").asDouble() < 0)
                        && h.get("p_holm").asDouble() < 0.05;
                assertThat(h != null && !h.get("better").isNull()).as(t.get("task").asText()).isEqualTo(supported);
                if (h != null && !supported) {
                    assertThat(t.get("verdict").asText()).startsWith("no ");
                }
            }
            assertThat(seg.get("verdict").asText()).startsWith("the CNN is better (95 % CI [");
            assertThat(tasks.get(Fixture.REGRESSION).get("verdict").asText())
                    .isEqualTo("no verdict (not tested: no case has a recorded prediction from both)");
            // the task nobody was scored on is unscored, not last
            assertThat(tasks.get(UNSCORED).get("scored").asBoolean()).isFalse();
            assertThat(tasks.get(UNSCORED).get("verdict").asText()).startsWith("unscored");
            // each task's best entry against what a model that learnt nothing scores
            JsonNode segFloor = seg.get("floor");
            assertThat(segFloor.get("metric").asText()).isEqualTo("dice");
            assertThat(segFloor.get("value").asDouble()).isZero();
            assertThat(segFloor.get("cleared").asBoolean()).isTrue();
            assertThat(segFloor.get("finding").asText()).contains("against 0.0000, what the empty mask scores: above it");
            JsonNode ageFloor = tasks.get(Fixture.REGRESSION).get("floor");
            assertThat(ageFloor.get("value").isNull()).isTrue();
            assertThat(ageFloor.get("cleared").asBoolean()).isFalse();
            assertThat(ageFloor.get("finding").asText()).contains("an unknown floor (no stored references: score again)");
            assertThat(tasks.get(UNSCORED).get("floor").isNull()).isTrue();
            // hours of one kind: both baselines pretrained on a GPU
            assertThat(seg.get("hours_unit").asText()).isEqualTo("gpu_hours");
            assertThat(seg.get("hours_ratio").asDouble()).isCloseTo(seg.get("transformer").get("gpu_hours").asDouble()
                    / seg.get("cnn").get("gpu_hours").asDouble(), within(1e-12));

            String html = client.get("/compare").body().string();
            assertThat(html).doesNotContain("GPU or CPU", "device-hours (GPU");
            assertThat(html).contains("GPU-hours, measured (log scale)",
                    "CPU device-hours (wall-clock × CPU devices), measured (log scale)");
            // labelled points, names escaped
            assertThat(html).containsPattern("<text class=\"name\" [^>]*>U-Net cross-contrast</text>")
                    .containsPattern("<text class=\"name\" [^>]*>ViT-L &lt;img src=x onerror=alert\\(2\\)&gt;</text>")
                    .doesNotContain("<img src=x");
            // the entries each plot leaves off, and why
            assertThat(html).contains("Not on the GPU-hours, measured plot: ResEnc v1: measured on CPUs only (on the CPU plot)");
            // the runs behind the board scores, linked to the entry page's row
            assertThat(html).contains("href=\"/entries/" + data.unet + "#run-" + unetRun + "\"");
            assertThat(html).contains("unscored: no entry has a finished scoring run on this task (not ranked)");
            assertThat(html).contains("the CNN is better (95 % CI [");
            assertThat(html).contains("Against a model that learnt nothing", segFloor.get("finding").asText());
            String entry = client.get("/entries/" + data.unet).body().string();
            assertThat(entry).contains("id=\"run-" + unetRun + "\"");
        });
    }

    @Test
    void aTaskPageHasThePairwiseSignificanceOfItsTopEntries() {
        SiteTest.serve(records, (server, client) -> {
            String html = client.get("/tasks/" + Fixture.SEGMENTATION).body().string();
            assertThat(html).contains("Pairwise significance of the top entries", "Holm-corrected across the pairs");
            String table = html.substring(html.indexOf("<table class=\"pairs\">"));
            table = table.substring(0, table.indexOf("</table>"));
            // top 5 of 6: 10 pairs, the higher placed first
            Matcher rows = Pattern.compile("<td><a href=\"/entries/(\\d+)\"[^>]*>(\\d+)\\. [^<]*</a></td>\\s*"
                    + "<td><a href=\"/entries/(\\d+)\"[^>]*>(\\d+)\\. [^<]*</a></td>\\s*<td class=\"num\">([^<]*)</td>\\s*"
                    + "<td class=\"num\">([^<]*)</td>\\s*<td class=\"num\">([^<]*)</td>\\s*<td class=\"num\">(\\d+)</td>\\s*"
                    + "<td>([^<]*)</td>").matcher(table);
            int pairs = 0;
            double smallest = 1;
            while (rows.find()) {
                pairs++;
                assertThat(Integer.parseInt(rows.group(2))).isLessThanOrEqualTo(Integer.parseInt(rows.group(4)));
                assertThat(rows.group(8)).isEqualTo(String.valueOf(Fixture.SEGMENTATION_CASES));
                double holm = Double.parseDouble(rows.group(7));
                smallest = Math.min(smallest, holm);
                long a = Long.parseLong(rows.group(1));
                long b = Long.parseLong(rows.group(3));
                if (a == data.unet && b == data.xss) {
                    // Dice 0.88 against 0.76 on 30 cases: significant after Holm's correction (10 pairs)
                    PermutationTest.Result raw = PermutationTest.signFlip(dice(data.boardRuns.get(a).get(Fixture.SEGMENTATION)),
                            dice(data.boardRuns.get(b).get(Fixture.SEGMENTATION)), Study.PERMUTATIONS, Snapshot.SEED);
                    assertThat(holm).isGreaterThanOrEqualTo(raw.pValue() - 5e-5).isLessThanOrEqualTo(10 * raw.pValue() + 5e-5);
                    assertThat(rows.group(9)).isEqualTo("yes");
                }
            }
            assertThat(pairs).isEqualTo(10);
            assertThat(table).contains("<td>no</td>");
            // Holm never lowers a p-value: the smallest corrected one is at least the smallest possible raw one
            assertThat(smallest).isGreaterThanOrEqualTo(1.0 / (Study.PERMUTATIONS + 1) - 5e-5);
        });
    }

    private static double[] dice(long run) {
        return records.results().cases(run, Fixture.SEGMENTATION).stream().filter(c -> c.metric().equals("dice"))
                .mapToDouble(CaseScore::score).toArray();
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }
}
