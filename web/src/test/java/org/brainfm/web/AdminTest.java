package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.testtools.FormBody;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.brainfm.compute.Hardware;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Family;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.RunRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Organiser actions (hiding entries and runs) need the token, change nothing without it, and show on the boards at once. */
class AdminTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path template;
    static Fixture data;
    @TempDir
    Path dir;
    Records records;

    /** One database filled once; each test works on its own copy of the file. */
    @BeforeAll
    static void fillTemplate() {
        try (Records records = Records.open(Fixture.url(template))) {
            data = new Fixture(records);
        }
    }

    @BeforeEach
    void copy() throws java.io.IOException {
        java.nio.file.Files.copy(template.resolve("records.mv.db"), dir.resolve("records.mv.db"));
        records = Records.open(Fixture.url(dir));
    }

    @AfterEach
    void close() {
        records.close();
    }

    @Test
    void withoutTheTokenA401AndNoChange() {
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                String path = "/admin/entries/" + data.vit + "/hidden";
                assertThat(post(client, path, null, null, "true").code()).isEqualTo(401);
                assertThat(post(client, path, "Bearer wrong", null, "true").code()).isEqualTo(401);
                Response form = post(client, path, null, "wrong", "true");
                assertThat(form.code()).isEqualTo(401);
                assertThat(form.body().string()).contains("organiser actions need the organiser&#39;s token");
                assertThat(post(client, "/admin", null, "wrong", null).code()).isEqualTo(401);
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isFalse();
                assertThat(client.get("/").body().string()).contains("ViT-B/16 MAE");
                // the form page itself lists nothing
                String page = client.get("/admin").body().string();
                assertThat(page).contains("<label for=\"token\">Organiser token</label>").doesNotContain("Leaky");
            });
        }
    }

    @Test
    void withNoTokenConfiguredEveryActionIsRefused() {
        try (Site site = new Site(records, null, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                Response r = post(client, "/admin/entries/" + data.vit + "/hidden", "Bearer ", "", "true");
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.body().string()).contains("started without BRAINFM_ADMIN_TOKEN");
                assertThat(client.get("/admin").body().string()).contains("Organiser actions are off");
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isFalse();
            });
        }
    }

    @Test
    void hidingAnEntryTakesItOffEveryBoardAtOnceAndShowingBringsItBack() {
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                assertThat(client.get("/").body().string()).contains("ViT-B/16 MAE");
                assertThat(client.get("/entries/" + data.vit).code()).isEqualTo(200);

                Response hidden = post(client, "/admin/entries/" + data.vit + "/hidden", "Bearer " + Fixture.TOKEN,
                        null, "true");
                assertThat(hidden.code()).isEqualTo(200);
                assertThat(hidden.body().string()).contains("\"entry_id\" : " + data.vit, "\"hidden\" : true");
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isTrue();
                assertThat(client.get("/").body().string()).doesNotContain("ViT-B/16 MAE");
                assertThat(client.get("/tasks/" + Fixture.SEGMENTATION).body().string()).doesNotContain("ViT-B/16 MAE");
                assertThat(client.get("/api/leaderboard").body().string()).doesNotContain("ViT-B/16 MAE");
                assertThat(client.get("/export/cases.csv").body().string()).doesNotContain("ViT-B/16 MAE");
                assertThat(client.get("/entries/" + data.vit).code()).isEqualTo(404);

                // the organiser's page lists hidden entries too, and its form shows them again
                Response list = post(client, "/admin", null, Fixture.TOKEN, null);
                assertThat(list.code()).isEqualTo(200);
                assertThat(list.body().string()).contains("ViT-B/16 MAE", "Leaky", ">hidden</td>", "Show entry Leaky");
                Response shown = post(client, "/admin/entries/" + data.vit + "/hidden", null, Fixture.TOKEN, "false");
                assertThat(shown.code()).isEqualTo(200);
                assertThat(shown.body().string()).contains("Entry " + data.vit + " is now shown.");
                assertThat(client.get("/").body().string()).contains("ViT-B/16 MAE");

                assertThat(post(client, "/admin/entries/99999/hidden", "Bearer " + Fixture.TOKEN, null, "true").code())
                        .isEqualTo(404);
                assertThat(post(client, "/admin/entries/" + data.vit + "/hidden", "Bearer " + Fixture.TOKEN, null, "maybe")
                        .code()).isEqualTo(400);
            });
        }
    }

    @Test
    void hidingARunPutsTheEntrysPreviousRunOnTheBoardsAndShowingItBringsItBack() {
        String task = Fixture.SEGMENTATION;
        long latest = data.boardRuns.get(data.unet).get(task);
        long previous = data.supersededRun;
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                String taskJson = client.get("/api/tasks/" + task).body().string();
                String taskCsv = client.get("/export/tasks/" + task + ".csv").body().string();
                JsonNode leaderboard = leaderboard(client);
                assertThat(boardRun(JSON.readTree(taskJson), data.unet)).isEqualTo(latest);

                Response hidden = post(client, "/admin/runs/" + latest + "/hidden", "Bearer " + Fixture.TOKEN, null, "true");
                assertThat(hidden.code()).isEqualTo(200);
                assertThat(hidden.body().string()).contains("\"run_id\" : " + latest, "\"hidden\" : true");
                assertThat(records.runs().get(latest).orElseThrow().hidden()).isTrue();

                // the task board, its API and CSV: the entry's previous scoring run, with its scores
                JsonNode board = SiteTest.json(client.get("/api/tasks/" + task));
                assertThat(boardRun(board, data.unet)).isEqualTo(previous);
                double previousDice = records.results().aggregates(previous, task).stream()
                        .filter(a -> a.metric().equals("dice")).findFirst().orElseThrow().score();
                assertThat(boardRow(board, data.unet).at("/metrics/dice/value").asDouble()).isEqualTo(previousDice);
                List<Map<String, String>> csv = SiteTest.csv(client.get("/export/tasks/" + task + ".csv").body().string());
                assertThat(csv).filteredOn(r -> r.get("entry_id").equals(Long.toString(data.unet)))
                        .extracting(r -> r.get("run_id")).containsExactly(Long.toString(previous));
                assertThat(csv).noneMatch(r -> r.get("run_id").equals(Long.toString(latest)));
                assertThat(client.get("/tasks/" + task).body().string()).contains("U-Net cross-contrast");

                // the overall board ranks it by the previous run (much worse), per-case export and entry page follow
                JsonNode after = leaderboard(client);
                assertThat(taskRank(after, data.unet, task)).isGreaterThan(taskRank(leaderboard, data.unet, task));
                List<Map<String, String>> cases = SiteTest.csv(client.get("/export/cases.csv").body().string());
                assertThat(cases).noneMatch(c -> c.get("run_id").equals(Long.toString(latest)));
                assertThat(cases).filteredOn(c -> c.get("run_id").equals(Long.toString(previous)))
                        .hasSize(3 * Fixture.SEGMENTATION_CASES);
                JsonNode entry = SiteTest.json(client.get("/api/entries/" + data.unet));
                assertThat(entry.at("/tasks/" + task + "/run_id").asLong()).isEqualTo(previous);
                assertThat(entry.get("runs").findValuesAsText("id")).doesNotContain(Long.toString(latest))
                        .contains(Long.toString(previous));
                // nor is the finetuning run behind the hidden scoring run only
                long finetune = records.runs().get(latest).orElseThrow().initRunId();
                assertThat(client.get("/entries/" + data.unet).body().string())
                        .doesNotContain("Configuration of run " + latest + " ", "Configuration of run " + finetune + " ");

                // shown again through the organiser's form: every view as it was
                Response shown = post(client, "/admin/runs/" + latest + "/hidden", null, Fixture.TOKEN, "false");
                assertThat(shown.code()).isEqualTo(200);
                assertThat(shown.body().string()).contains("Run " + latest + " is now shown.");
                assertThat(client.get("/api/tasks/" + task).body().string()).isEqualTo(taskJson);
                assertThat(client.get("/export/tasks/" + task + ".csv").body().string()).isEqualTo(taskCsv);
                assertThat(leaderboard(client)).isEqualTo(leaderboard);
                assertThat(client.get("/entries/" + data.unet).body().string())
                        .contains("Configuration of run " + latest + " ");
            });
        }
    }

    @Test
    void hidingAnEntrysOnlyRunOnATaskTakesItOffThatBoard() {
        long only = data.boardRuns.get(data.hybrid).get(Fixture.SEGMENTATION);
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                assertThat(leaderboard(client).get("entries").findValuesAsText("entry_id"))
                        .contains(Long.toString(data.hybrid));
                assertThat(post(client, "/admin/runs/" + only + "/hidden", "Bearer " + Fixture.TOKEN, null, "true")
                        .code()).isEqualTo(200);
                assertThat(SiteTest.json(client.get("/api/tasks/" + Fixture.SEGMENTATION)).get("entries")
                        .findValuesAsText("entry_id")).hasSize(5).doesNotContain(Long.toString(data.hybrid));
                assertThat(leaderboard(client).get("entries").findValuesAsText("entry_id"))
                        .hasSize(5).doesNotContain(Long.toString(data.hybrid));
                assertThat(SiteTest.entryLinks(client.get("/").body().string())).hasSize(5)
                        .doesNotContain(Long.toString(data.hybrid));
                // the entry itself stays, with nothing scored
                assertThat(client.get("/entries/" + data.hybrid).body().string()).contains("No finished scoring run yet.");
            });
        }
    }

    @Test
    void hidingARunWithoutTheTokenIsA401AndChangesNothing() {
        long latest = data.boardRuns.get(data.unet).get(Fixture.SEGMENTATION);
        String path = "/admin/runs/" + latest + "/hidden";
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                String before = client.get("/api/tasks/" + Fixture.SEGMENTATION).body().string();
                assertThat(post(client, path, null, null, "true").code()).isEqualTo(401);
                assertThat(post(client, path, "Bearer wrong", null, "true").code()).isEqualTo(401);
                assertThat(post(client, path, "Bearer " + Fixture.TOKEN + "x", null, "true").code()).isEqualTo(401);
                assertThat(post(client, path, null, "wrong", "true").code()).isEqualTo(401);
                assertThat(post(client, path, "Bearer " + Fixture.TOKEN, null, "maybe").code()).isEqualTo(400);
                assertThat(post(client, "/admin/runs/99999/hidden", "Bearer " + Fixture.TOKEN, null, "true").code())
                        .isEqualTo(404);
                assertThat(post(client, "/admin/runs/latest/hidden", "Bearer " + Fixture.TOKEN, null, "true").code())
                        .isEqualTo(404);
                assertThat(records.runs().all()).noneMatch(RunRow::hidden);
                assertThat(client.get("/api/tasks/" + Fixture.SEGMENTATION).body().string()).isEqualTo(before);
            });
        }
        try (Site site = new Site(records, null, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                Response r = post(client, path, "Bearer ", "", "true");
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.body().string()).contains("started without BRAINFM_ADMIN_TOKEN");
                assertThat(records.runs().get(latest).orElseThrow().hidden()).isFalse();
            });
        }
    }

    @Test
    void theOrganisersPageListsScoringRunsWithWhereTheyStand() {
        long latest = data.boardRuns.get(data.unet).get(Fixture.SEGMENTATION);
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                String page = post(client, "/admin", null, Fixture.TOKEN, null).body().string();
                assertThat(page).contains("Hide run " + latest + "\"", "Hide run " + data.supersededRun + "\"",
                        "U-Net cross-contrast (brainfm)", ">on the board</td>", ">not on the board</td>");
                // a pretraining run is listed only once hidden, so that it can be shown again
                assertThat(page).doesNotContain("Hide run " + data.unetPretrain + "\"");
                Response hidden = post(client, "/admin/runs/" + data.unetPretrain + "/hidden", null, Fixture.TOKEN, "true");
                assertThat(hidden.body().string()).contains("Run " + data.unetPretrain + " is now hidden.",
                        "Show run " + data.unetPretrain + "\"", ">hidden</td>");
                assertThat(records.runs().get(data.unetPretrain).orElseThrow().hidden()).isTrue();
                // its scores stay on the boards; its curve leaves the entry page
                assertThat(boardRun(SiteTest.json(client.get("/api/tasks/" + Fixture.SEGMENTATION)), data.unet))
                        .isEqualTo(latest);
                assertThat(client.get("/entries/" + data.unet).body().string())
                        .doesNotContain("Configuration of run " + data.unetPretrain + " ");
            });
        }
    }

    @Test
    void aRunFinishedElsewhereShowsWithinTheStampCheck() {
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                assertThat(client.get("/").body().string()).doesNotContain("Late entry");
                long late = records.entries().add(NewEntry.baseline("brainfm", "Late entry", Family.CNN, "compact-unet"));
                try (ActiveRun run = records.runs().start(NewRun.score(late, Fixture.REGRESSION), Hardware.cpu())) {
                    run.writeResults(Fixture.REGRESSION, java.util.List.of(),
                            java.util.List.of(new AggregateScore("mae", 1.0, 0.5, 1.5, 40)));
                    run.finish(5L);
                }
                Thread.sleep(Boards.CHECK_MILLIS + 50);
                assertThat(client.get("/").body().string()).contains("Late entry");
                assertThat(client.get("/tasks/" + Fixture.REGRESSION).body().string()).contains("Late entry");
            });
        }
    }

    private static JsonNode leaderboard(HttpClient client) throws Exception {
        ObjectNode board = (ObjectNode) SiteTest.json(client.get("/api/leaderboard"));
        board.remove("generated_at");
        return board;
    }

    private static JsonNode boardRow(JsonNode board, long entry) {
        for (JsonNode row : board.get("entries")) {
            if (row.get("entry_id").asLong() == entry) {
                return row;
            }
        }
        throw new AssertionError("entry " + entry + " is not on the board");
    }

    private static long boardRun(JsonNode board, long entry) {
        return boardRow(board, entry).get("run_id").asLong();
    }

    private static double taskRank(JsonNode leaderboard, long entry, String task) {
        return boardRow(leaderboard, entry).at("/task_ranks/" + task).asDouble();
    }

    private static Response post(HttpClient client, String path, String authorization, String token, String hidden) {
        return client.request(path, b -> {
            FormBody.Builder form = new FormBody.Builder();
            if (token != null) {
                form.add("token", token);
            }
            if (hidden != null) {
                form.add("hidden", hidden);
            }
            b.post(form.build());
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
        });
    }
}
