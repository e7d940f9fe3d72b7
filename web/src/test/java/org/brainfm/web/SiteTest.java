package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Records;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site's routes against a real H2 file filled through the records API (read-only tests). */
class SiteTest {
    @TempDir
    static Path dir;
    static Records records;
    static Fixture data;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void fill() {
        records = Records.open(Fixture.url(dir));
        data = new Fixture(records);
    }

    @AfterAll
    static void close() {
        records.close();
    }

    static void serve(TestCase test) {
        serve(records, test);
    }

    /** A site over {@code records} (200 rank resamples), for the length of {@code test}. */
    static void serve(Records records, TestCase test) {
        try (Site site = new Site(records, Fixture.TOKEN, 200)) {
            JavalinTest.test(site.app(), test);
        }
    }

    @Test
    void theOverallBoardRanksShownEntriesByMeanTaskRank() {
        serve((server, client) -> {
            Response r = client.get("/");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.headers().get("Content-Type").get(0)).startsWith("text/html");
            String html = r.body().string();
            assertThat(entryLinks(html)).containsExactlyElementsOf(expectedOrder().stream().map(String::valueOf).toList());
            assertThat(html).doesNotContain("Leaky");
            assertThat(html).contains("<th scope=\"col\"", "<th scope=\"row\"", "<caption>");
            assertThat(html).contains("badge badge-cnn", "badge badge-transformer", "badge badge-hybrid");
            assertThat(html).contains("class=\"tag\">baseline</span>", "claimed 36 GPU-h");
            assertThat(html).containsPattern("\\d+(\\.\\d+)? GPU-h");
            assertThat(html).contains("CPU-h");
            assertThat(html).containsPattern("\\[1, \\d\\]").doesNotContain("computing…");
            assertThat(html).contains("aria-sort=\"ascending\"");
        });
    }

    @Test
    void theOverallBoardJsonHasTheSameOrderRanksAndIntervals() {
        serve((server, client) -> {
            JsonNode board = json(client.get("/api/leaderboard"));
            assertThat(board.get("rank_intervals").asText()).isEqualTo("ready");
            assertThat(board.get("tasks")).extracting(JsonNode::asText)
                    .containsExactly(Fixture.REGRESSION, Fixture.CLASSIFICATION, Fixture.SEGMENTATION);
            List<Long> ids = new ArrayList<>();
            Map<Long, Double> expected = expectedMeanRanks();
            board.get("entries").forEach(e -> {
                ids.add(e.get("entry_id").asLong());
                assertThat(e.get("mean_rank").asDouble()).isCloseTo(expected.get(e.get("entry_id").asLong()), within(1e-12));
            });
            assertThat(ids).containsExactlyElementsOf(expectedOrder());
            JsonNode unet = board.get("entries").get(0);
            assertThat(unet.get("position").asInt()).isEqualTo(1);
            assertThat(unet.get("parameters").asLong()).isEqualTo(18_900_000L);
            assertThat(unet.get("claimed_gpu_hours").asDouble()).isEqualTo(36.0);
            assertThat(unet.get("rank_ci_low").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(unet.get("task_ranks").size()).isEqualTo(3);
            JsonNode vit = board.get("entries").get(ids.indexOf(data.vit));
            assertThat(vit.get("gpu_hours").asDouble()).isGreaterThan(0);
            assertThat(vit.get("team").asText()).isEqualTo("brainfm");
            JsonNode hybrid = board.get("entries").get(ids.indexOf(data.hybrid));
            assertThat(hybrid.get("task_ranks").fieldNames()).toIterable().containsExactly(Fixture.SEGMENTATION);
        });
    }

    @Test
    void everyColumnSortsThroughLinksAndBadParametersAreNamed() {
        serve((server, client) -> {
            String byParameters = client.get("/?sort=parameters&dir=asc").body().string();
            assertThat(entryLinks(byParameters)).containsExactly(Long.toString(data.unet), Long.toString(data.hybrid),
                    Long.toString(data.vit), Long.toString(data.labOld), Long.toString(data.labNew),
                    Long.toString(data.xss));
            assertThat(byParameters).contains("href=\"/?sort=parameters&amp;dir=desc\"");
            String byTeamDesc = client.get("/?sort=team&dir=desc").body().string();
            assertThat(entryLinks(byTeamDesc).get(0)).isEqualTo(Long.toString(data.hybrid));
            assertThat(client.get("/?sort=task:" + Fixture.SEGMENTATION).code()).isEqualTo(200);

            Response bad = client.get("/?sort=nonsense");
            assertThat(bad.code()).isEqualTo(400);
            assertThat(bad.body().string()).contains("sort is &#39;nonsense&#39;; this board sorts by rank, entry");
            assertThat(client.get("/?dir=sideways").code()).isEqualTo(400);
            assertThat(client.get("/?page=2").code()).isEqualTo(400);
            assertThat(client.get("/?page=x").code()).isEqualTo(400);
        });
    }

    @Test
    void aTaskBoardShowsEveryMetricWithItsIntervalAndDirection() {
        serve((server, client) -> {
            String html = client.get("/tasks/" + Fixture.SEGMENTATION).body().string();
            AggregateScore dice = records.results().aggregates(data.boardRuns.get(data.unet).get(Fixture.SEGMENTATION),
                    Fixture.SEGMENTATION).stream().filter(a -> a.metric().equals("dice")).findFirst().orElseThrow();
            assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4f", dice.score()),
                    String.format(java.util.Locale.ROOT, "[%.4f, %.4f]", dice.ciLow(), dice.ciHigh()));
            assertThat(html).contains("Dice", "NSD", "HD95", "(mm)", "↑", "↓", "higher is better", "lower is better");
            assertThat(html).contains("<tr class=\"baseline\">");
            assertThat(entryLinks(html)).hasSize(6).doesNotContain(Long.toString(data.hidden));

            // HD95 sorts best (lowest) first on the first click
            String byHd95 = client.get("/tasks/" + Fixture.SEGMENTATION + "?sort=hd95").body().string();
            assertThat(entryLinks(byHd95).get(0)).isEqualTo(Long.toString(data.unet));
            assertThat(entryLinks(byHd95).get(5)).isEqualTo(Long.toString(data.labNew));
            assertThat(byHd95).contains("aria-sort=\"ascending\"");

            String classification = client.get("/tasks/" + Fixture.CLASSIFICATION).body().string();
            assertThat(classification).contains("Accuracy", "AUROC").doesNotContain("HD95");
            assertThat(client.get("/tasks/nope").code()).isEqualTo(404);
            assertThat(client.get("/tasks/" + Fixture.SEGMENTATION + "?show=some").code()).isEqualTo(400);
        });
    }

    @Test
    void anEntryScoredOverSeveralSeedsShowsTheirMeanSpreadAndCount() {
        try (Records seeded = Records.open(Fixture.url(dir.resolve("seeds")))) {
            Fixture.catalog(seeded);
            long entry = seeded.entries().add(org.brainfm.records.NewEntry.baseline("brainfm", "U-Net seeds",
                    org.brainfm.records.Family.CNN, "compact-unet"));
            long single = seeded.entries().add(org.brainfm.records.NewEntry.baseline("brainfm", "U-Net one seed",
                    org.brainfm.records.Family.CNN, "compact-unet"));
            double[] quality = {0.70, 0.80, 0.90};
            List<Long> runs = new ArrayList<>();
            for (int k = 0; k < quality.length; k++) {
                runs.add(Fixture.score(seeded, entry, Fixture.SEGMENTATION, quality[k], 40 + k, null, 1_000L, k + 1L));
            }
            Fixture.score(seeded, single, Fixture.SEGMENTATION, 0.75, 50, null, 1_000L, 1L);
            double[] dice = runs.stream().mapToDouble(r -> seeded.results().aggregates(r, Fixture.SEGMENTATION).stream()
                    .filter(a -> a.metric().equals("dice")).findFirst().orElseThrow().score()).toArray();
            double mean = (dice[0] + dice[1] + dice[2]) / 3;
            double sd = Math.sqrt(((dice[0] - mean) * (dice[0] - mean) + (dice[1] - mean) * (dice[1] - mean)
                    + (dice[2] - mean) * (dice[2] - mean)) / 2);
            serve(seeded, (server, client) -> {
                JsonNode board = json(client.get("/api/tasks/" + Fixture.SEGMENTATION));
                JsonNode row = null;
                for (JsonNode e : board.get("entries")) {
                    if (e.get("entry_id").asLong() == entry) {
                        row = e;
                    }
                }
                JsonNode d = row.get("metrics").get("dice");
                assertThat(d.get("value").asDouble()).isCloseTo(mean, within(1e-12));
                assertThat(d.get("sd").asDouble()).isCloseTo(sd, within(1e-12));
                assertThat(d.get("seeds").asInt()).isEqualTo(3);
                assertThat(d.get("n").asInt()).isEqualTo(Fixture.SEGMENTATION_CASES);
                assertThat(d.get("ci_low").asDouble()).isLessThan(mean);
                assertThat(d.get("ci_high").asDouble()).isGreaterThan(mean);
                // seeds 0.1 apart in quality: the interval over seeds and cases is wider than any seed's own
                for (long r : runs) {
                    AggregateScore own = seeded.results().aggregates(r, Fixture.SEGMENTATION).stream()
                            .filter(a -> a.metric().equals("dice")).findFirst().orElseThrow();
                    assertThat(d.get("ci_high").asDouble() - d.get("ci_low").asDouble())
                            .isGreaterThan(own.ciHigh() - own.ciLow());
                }
                assertThat(row.get("seed_runs")).hasSize(3);
                assertThat(row.get("seed_runs").get(2).get("seed").asLong()).isEqualTo(3);
                assertThat(row.get("seed_runs").get(2).get("run_id").asLong()).isEqualTo(runs.get(2));
                assertThat(row.get("run_id").asLong()).isEqualTo(runs.get(2));

                JsonNode entryApi = json(client.get("/api/entries/" + entry));
                JsonNode t = entryApi.get("tasks").get(Fixture.SEGMENTATION);
                assertThat(t.get("metrics").get("dice").get("seeds").asInt()).isEqualTo(3);
                assertThat(t.get("seed_runs")).hasSize(3);
                JsonNode one = json(client.get("/api/entries/" + single)).get("tasks").get(Fixture.SEGMENTATION);
                assertThat(one.get("metrics").get("dice").get("seeds").asInt()).isEqualTo(1);
                assertThat(one.get("metrics").get("dice").get("sd").isNull()).isTrue();

                String html = client.get("/tasks/" + Fixture.SEGMENTATION).body().string();
                assertThat(html).contains(String.format(java.util.Locale.ROOT, "sd %.4f · 3 seeds", sd), "1 seed<");
                String page = client.get("/entries/" + entry).body().string();
                assertThat(page).contains("SD over seeds", String.format(java.util.Locale.ROOT, ">%.4f<", sd));

                List<Map<String, String>> csv = csv(client.get("/export/tasks/" + Fixture.SEGMENTATION + ".csv").body().string());
                Map<String, String> csvRow = csv.stream().filter(r -> r.get("entry_id").equals(Long.toString(entry)))
                        .findFirst().orElseThrow();
                assertThat(Double.parseDouble(csvRow.get("dice_sd"))).isCloseTo(sd, within(1e-12));
                assertThat(csvRow.get("dice_seeds")).isEqualTo("3");
                // the public per-case export holds every seed's run behind the board
                List<Map<String, String>> cases = csv(client.get("/export/cases.csv?task=" + Fixture.SEGMENTATION).body().string());
                assertThat(cases.stream().map(c -> c.get("run_id")).distinct())
                        .containsAll(runs.stream().map(String::valueOf).toList());
            });
        }
    }

    @Test
    void bestOrLatestEntryPerTeam() {
        serve((server, client) -> {
            String path = "/tasks/" + Fixture.REGRESSION;
            List<String> best = entryLinks(client.get(path + "?show=best").body().string());
            List<String> latest = entryLinks(client.get(path + "?show=latest").body().string());
            assertThat(best).contains(Long.toString(data.labOld)).doesNotContain(Long.toString(data.labNew));
            assertThat(latest).contains(Long.toString(data.labNew)).doesNotContain(Long.toString(data.labOld));
            // one of the two brainfm baselines per team
            assertThat(best).contains(Long.toString(data.unet)).doesNotContain(Long.toString(data.vit));
            assertThat(latest).contains(Long.toString(data.vit)).doesNotContain(Long.toString(data.unet));
            JsonNode api = json(client.get("/api/tasks/" + Fixture.REGRESSION + "?show=best"));
            assertThat(api.get("show").asText()).isEqualTo("best");
            assertThat(api.get("entries")).hasSize(3);
            assertThat(api.get("entries").get(0).get("position").asInt()).isEqualTo(1);
        });
    }

    @Test
    void anEntryPageHasMetricsComputeCardProvenanceAndCurves() {
        serve((server, client) -> {
            String html = client.get("/entries/" + data.unet).body().string();
            assertThat(html).contains("U-Net cross-contrast", "position 1", "18.9 M (18,900,000)");
            assertThat(html).contains("Gordaliza et al., arXiv 2601.13166", "36 GPU-h of pretraining");
            // provenance: the pretraining run and the finetuning runs behind the scoring runs
            assertThat(html).contains(">" + data.unetPretrain + "</th>", "pretraining (cross-contrast-swap)", "finetuning");
            assertThat(countOf(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"")).isEqualTo(4);
            assertThat(html).contains("<title id=\"curve-" + data.unetPretrain + "-title\">Loss of pretraining run "
                    + data.unetPretrain);
            assertThat(html).contains("training loss", "validation loss");
            Matcher path = Pattern.compile("<path class=\"line series-0\" d=\"(M[0-9. L]+)\"").matcher(html);
            assertThat(path.find()).isTrue();
            assertThat(path.group(1).split(" L")).hasSize(12);

            JsonNode api = json(client.get("/api/entries/" + data.unet));
            assertThat(api.get("tasks").size()).isEqualTo(3);
            assertThat(api.get("model_card").get("pretraining").get("gpu_hours").asInt()).isEqualTo(36);
            JsonNode pretrain = null;
            for (JsonNode run : api.get("runs")) {
                if (run.get("id").asLong() == data.unetPretrain) {
                    pretrain = run;
                }
            }
            assertThat(pretrain.get("curve")).hasSize(12);
            assertThat(pretrain.get("kind").asText()).isEqualTo("pretrain");

            assertThat(client.get("/entries/" + data.hidden).code()).isEqualTo(404);
            assertThat(client.get("/api/entries/" + data.hidden).code()).isEqualTo(404);
            assertThat(client.get("/entries/99999").code()).isEqualTo(404);
            assertThat(client.get("/entries/abc").code()).isEqualTo(404);
        });
    }

    @Test
    void theTasksPageHasTasksDatasetsAndTheMetricConventions() {
        serve((server, client) -> {
            String html = client.get("/tasks").body().string();
            assertThat(html).contains("Deterministic brain phantoms with lesions", "Brain age in years");
            assertThat(html).contains("<h1>Metric conventions</h1>", "Felzenszwalb-Huttenlocher",
                    "<th scope=\"col\">metric</th>");
            JsonNode tasks = json(client.get("/api/tasks")).get("tasks");
            assertThat(tasks).extracting(t -> t.get("id").asText())
                    .containsExactly(Fixture.REGRESSION, Fixture.CLASSIFICATION, Fixture.SEGMENTATION);
            assertThat(tasks.get(2).get("entries").asInt()).isEqualTo(6);
        });
    }

    @Test
    void csvExportsOfTheBoardsAndOfThePublicPerCaseResults() throws Exception {
        serve((server, client) -> {
            Response board = client.get("/export/leaderboard.csv");
            assertThat(board.headers().get("Content-Type").get(0)).startsWith("text/csv");
            List<Map<String, String>> rows = csv(board.body().string());
            List<Long> order = expectedOrder();
            assertThat(rows).extracting(r -> Long.parseLong(r.get("entry_id"))).containsExactlyElementsOf(order);
            assertThat(rows.get(order.indexOf(data.xss)).get("team")).isEqualTo(Fixture.XSS_TEAM);
            assertThat(rows.get(0)).containsKeys("rank_" + Fixture.SEGMENTATION, "mean_rank", "rank_ci_low");

            List<Map<String, String>> task = csv(client.get("/export/tasks/" + Fixture.SEGMENTATION + ".csv").body().string());
            assertThat(task).hasSize(6);
            assertThat(Double.parseDouble(task.get(0).get("dice")))
                    .isEqualTo(aggregate(data.unet, Fixture.SEGMENTATION, "dice"));
            assertThat(task.get(0)).containsKeys("dice_ci_low", "dice_ci_high", "dice_n", "dice_sd", "dice_seeds", "hd95", "nsd");
            assertThat(task.get(0).get("dice_seeds")).isEqualTo("1");
            assertThat(task.get(0).get("dice_sd")).isEmpty();
            assertThat(client.get("/export/tasks/nope.csv").code()).isEqualTo(404);

            List<Map<String, String>> cases = csv(client.get("/export/cases.csv").body().string());
            int expected = 0;
            for (var perTask : data.boardRuns.values()) {
                for (String t : perTask.keySet()) {
                    // the classification task's test set is hidden (no public_cases): none of its cases
                    expected += switch (t) {
                        case Fixture.SEGMENTATION -> 3 * Fixture.SEGMENTATION_CASES;
                        case Fixture.CLASSIFICATION -> 0;
                        default -> Fixture.REGRESSION_CASES;
                    };
                }
            }
            assertThat(cases).hasSize(expected);
            assertThat(cases).noneMatch(c -> c.get("entry_id").equals(Long.toString(data.hidden)));
            assertThat(cases).noneMatch(c -> c.get("run_id").equals(Long.toString(data.supersededRun)));
            assertThat(cases).anyMatch(c -> c.get("flag").equals("missing"));
            List<Map<String, String>> one = csv(client.get("/export/cases.csv?task=" + Fixture.REGRESSION).body().string());
            assertThat(one).hasSize(5 * Fixture.REGRESSION_CASES).allMatch(c -> c.get("task").equals(Fixture.REGRESSION));
            assertThat(cases).noneMatch(c -> c.get("task").equals(Fixture.CLASSIFICATION));
            assertThat(csv(client.get("/export/cases.csv?task=" + Fixture.CLASSIFICATION).body().string())).isEmpty();
        });
    }

    @Test
    void everyUserStringIsEscaped() {
        serve((server, client) -> {
            for (String path : List.of("/", "/tasks/" + Fixture.SEGMENTATION, "/tasks/" + Fixture.REGRESSION + "?show=best",
                    "/entries/" + data.xss, "/compare", "/tasks")) {
                Response r = client.get(path);
                String html = r.body().string();
                assertThat(html).as(path).doesNotContain("<script", "<img src=x");
                assertThat(r.headers().get("Content-Security-Policy").get(0)).contains("default-src 'none'");
                if (!path.equals("/tasks")) {
                    assertThat(html).as(path).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
                }
            }
            assertThat(client.get("/entries/" + data.xss).body().string())
                    .contains("ViT-L &lt;img src=x onerror=alert(2)&gt;");
            assertThat(json(client.get("/api/entries/" + data.xss)).get("team").asText()).isEqualTo(Fixture.XSS_TEAM);
            String notFound = client.get("/tasks/%3Cscript%3Ealert(3)%3C%2Fscript%3E").body().string();
            assertThat(notFound).doesNotContain("<script>alert(3)").contains("&lt;script&gt;alert(3)");
        });
    }

    @Test
    void unknownPathsAreA404PageOrJson() {
        serve((server, client) -> {
            Response page = client.get("/nowhere");
            assertThat(page.code()).isEqualTo(404);
            assertThat(page.body().string()).contains("404 Not Found", "no page at /nowhere");
            Response api = client.get("/api/tasks/nowhere");
            assertThat(api.code()).isEqualTo(404);
            assertThat(json(api).get("error").asText()).isEqualTo("no task 'nowhere'");
            assertThat(client.get("/static/site.css").code()).isEqualTo(200);
        });
    }

    /**
     * The overall order worked out here from the stored aggregates: rank each metric within a
     * task (no ties in this data), average per task, average over the tasks; an entry missing
     * from a task ranks after every entry there.
     */
    static Map<Long, Double> expectedMeanRanks() {
        Map<String, Map<String, Boolean>> metrics = Map.of(
                Fixture.SEGMENTATION, Map.of("dice", true, "nsd", true, "hd95", false),
                Fixture.CLASSIFICATION, Map.of("accuracy", true, "auroc", true),
                Fixture.REGRESSION, Map.of("mae", false, "pearson_r", true));
        Map<Long, Double> sum = new java.util.HashMap<>();
        for (var task : metrics.entrySet()) {
            List<Long> scored = data.boardRuns.keySet().stream()
                    .filter(e -> data.boardRuns.get(e).containsKey(task.getKey())).toList();
            Map<Long, Double> taskRank = new java.util.HashMap<>();
            for (var metric : task.getValue().entrySet()) {
                for (long e : scored) {
                    double v = aggregate(e, task.getKey(), metric.getKey());
                    long better = scored.stream().filter(o -> metric.getValue()
                            ? aggregate(o, task.getKey(), metric.getKey()) > v
                            : aggregate(o, task.getKey(), metric.getKey()) < v).count();
                    taskRank.merge(e, (better + 1.0) / task.getValue().size(), Double::sum);
                }
            }
            for (long e : data.boardRuns.keySet()) {
                sum.merge(e, taskRank.getOrDefault(e, scored.size() + 1.0) / 3, Double::sum);
            }
        }
        return sum;
    }

    static List<Long> expectedOrder() {
        Map<Long, Double> mean = expectedMeanRanks();
        return mean.keySet().stream().sorted(java.util.Comparator.comparingDouble(mean::get)).toList();
    }

    static List<String> entryLinks(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<th scope=\"row\" class=\"entry\"><a href=\"/entries/(\\d+)\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static JsonNode json(Response r) throws Exception {
        assertThat(r.headers().get("Content-Type").get(0)).startsWith("application/json");
        return JSON.readTree(r.body().string());
    }

    static List<Map<String, String>> csv(String text) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            return it.readAll();
        }
    }

    private static double aggregate(long entry, String task, String metric) {
        return records.results().aggregates(data.boardRuns.get(entry).get(task), task).stream()
                .filter(a -> a.metric().equals(metric)).findFirst().orElseThrow().score();
    }
}
