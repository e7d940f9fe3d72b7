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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                SignedIn organiser = signIn(client);
                assertThat(organiser.page()).contains("ViT-B/16 MAE", "Leaky", ">hidden</td>", "Show entry Leaky");
                Response shown = postInSession(client, "/admin/entries/" + data.vit + "/hidden", organiser.cookie(),
                        organiser.csrf(), "false");
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
                SignedIn organiser = signIn(client);
                Response shown = postInSession(client, "/admin/runs/" + latest + "/hidden", organiser.cookie(),
                        organiser.csrf(), "false");
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
                SignedIn organiser = signIn(client);
                String page = organiser.page();
                assertThat(page).contains("Hide run " + latest + "\"", "Hide run " + data.supersededRun + "\"",
                        "U-Net cross-contrast (brainfm)", ">on the board</td>", ">not on the board</td>");
                // a pretraining run is listed only once hidden, so that it can be shown again
                assertThat(page).doesNotContain("Hide run " + data.unetPretrain + "\"");
                Response hidden = postInSession(client, "/admin/runs/" + data.unetPretrain + "/hidden", organiser.cookie(),
                        organiser.csrf(), "true");
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

    @Test
    void signingInOpensASessionWhoseFormsCarryACsrfTokenAndNeverTheToken() {
        String path = "/admin/entries/" + data.vit + "/hidden";
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, jar) -> {
                // a client that keeps no cookies: each request says which session it comes in
                HttpClient client = new HttpClient(server, java.net.http.HttpClient.newHttpClient());
                Response signedIn = post(client, "/admin", null, Fixture.TOKEN, null);
                String cookie = signedIn.headers().get("Set-Cookie").get(0);
                assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/admin").doesNotContain("Secure");
                SignedIn organiser = SignedIn.of(signedIn);
                assertThat(organiser.page()).doesNotContain(Fixture.TOKEN, "name=\"token\"")
                        .contains("name=\"csrf\" value=\"" + organiser.csrf() + "\"");
                // the session alone shows the list again; without it the page asks for the token
                assertThat(client.request("/admin", b -> b.header("Cookie", organiser.cookie())).body().string())
                        .contains("Every entry, hidden ones included").doesNotContain(Fixture.TOKEN);
                assertThat(client.get("/admin").body().string()).contains("<label for=\"token\">Organiser token</label>");

                // a form needs both the session and its CSRF token; the token in a form acts no more
                assertThat(postInSession(client, path, organiser.cookie(), null, "true").code()).isEqualTo(403);
                assertThat(postInSession(client, path, organiser.cookie(), "forged", "true").code()).isEqualTo(403);
                assertThat(postInSession(client, path, null, organiser.csrf(), "true").code()).isEqualTo(401);
                assertThat(postInSession(client, path, "brainfm_admin=forged", organiser.csrf(), "true").code())
                        .isEqualTo(401);
                assertThat(post(client, path, null, Fixture.TOKEN, "true").code()).isEqualTo(401);
                SignedIn other = signIn(client);
                assertThat(postInSession(client, path, organiser.cookie(), other.csrf(), "true").code()).isEqualTo(403);
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isFalse();

                Response hidden = postInSession(client, path, organiser.cookie(), organiser.csrf(), "true");
                assertThat(hidden.code()).isEqualTo(200);
                assertThat(hidden.body().string()).contains("Entry " + data.vit + " is now hidden.");
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isTrue();

                // behind a proxy that speaks https, the cookie is for https only
                Response secure = client.request("/admin", b -> b.header("X-Forwarded-Proto", "https")
                        .post(new FormBody.Builder().add("token", Fixture.TOKEN).build()));
                assertThat(secure.headers().get("Set-Cookie").get(0)).contains("Secure", "HttpOnly", "SameSite=Strict");
            });
        }
    }

    @Test
    void failedAttemptsAreLimitedPerAddressAndLoggedOnceAMinute() throws Exception {
        String path = "/admin/entries/" + data.vit + "/hidden";
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                String log = RawHttp.logOf(() -> {
                    for (int i = 0; i < Attempts.LIMIT; i++) {
                        assertThat(post(client, path, "Bearer guess-" + i, null, "true").code()).isEqualTo(401);
                    }
                    Response limited = post(client, path, "Bearer guess-last", null, "true");
                    assertThat(limited.code()).isEqualTo(429);
                    assertThat(Integer.parseInt(limited.headers().get("Retry-After").get(0))).isBetween(1, 60);
                    // while limited, not even the right token is tried, by header or by form
                    assertThat(post(client, path, "Bearer " + Fixture.TOKEN, null, "true").code()).isEqualTo(429);
                    assertThat(post(client, "/admin", null, Fixture.TOKEN, null).code()).isEqualTo(429);
                    return null;
                });
                assertThat(log.lines().filter(l -> l.contains("127.0.0.1"))).singleElement().asString()
                        .contains("POST " + path);
                assertThat(log).doesNotContain("guess-", Fixture.TOKEN);
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isFalse();
                // the page itself is no attempt
                assertThat(client.get("/admin").code()).isEqualTo(200);
            });
        }
    }

    @Test
    void malformedBodiesAreA400WithOneLineOfLog() throws Exception {
        Map<String, String[]> bodies = Map.of(
                "unknown charset", new String[] {
                    "Content-Type: application/x-www-form-urlencoded; charset=x-no-such-charset\r\n",
                    "hidden=true"},
                "broken multipart", new String[] {
                    "Content-Type: multipart/form-data; boundary=xyz\r\n",
                    "--xyz\r\nContent-Disposition: form-data; name=\"hidden\"\r\n\r\ntrue"},
                "bad chunked encoding", new String[] {
                    "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
                    "zz\r\nhidden=true\r\n0\r\n\r\n"});
        String bearer = "Authorization: Bearer " + Fixture.TOKEN + "\r\n";
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                for (var body : bodies.entrySet()) {
                    for (String[] target : List.of(new String[] {"/admin", ""},
                            new String[] {"/admin/entries/" + data.vit + "/hidden", bearer})) {
                        String[] answer = new String[1];
                        String log = RawHttp.logOf(() -> answer[0] = RawHttp.post(server.port(), target[0],
                                target[1] + body.getValue()[0], body.getValue()[1]));
                        assertThat(RawHttp.status(answer[0])).as(body.getKey() + " to " + target[0]).isEqualTo(400);
                        assertThat(log.lines()).as(body.getKey() + " to " + target[0]).singleElement().asString()
                                .contains("POST " + target[0]);
                    }
                }
                assertThat(records.entries().get(data.vit).orElseThrow().hidden()).isFalse();
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

    /** An organiser signed in through the page's form: the session's cookie, the CSRF token of its forms, the page. */
    record SignedIn(String cookie, String csrf, String page) {
        static SignedIn of(Response r) throws java.io.IOException {
            assertThat(r.code()).isEqualTo(200);
            String page = r.body().string();
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
            assertThat(csrf.find()).as("a form with a CSRF token").isTrue();
            return new SignedIn(r.headers().get("Set-Cookie").get(0).split(";", 2)[0], csrf.group(1), page);
        }
    }

    static SignedIn signIn(HttpClient client) throws java.io.IOException {
        return SignedIn.of(post(client, "/admin", null, Fixture.TOKEN, null));
    }

    /** A form of the organiser's page: with a session's cookie and a CSRF token (null: without). */
    private static Response postInSession(HttpClient client, String path, String cookie, String csrf, String hidden) {
        return client.request(path, b -> {
            FormBody.Builder form = new FormBody.Builder().add("hidden", hidden);
            if (csrf != null) {
                form.add("csrf", csrf);
            }
            b.post(form.build());
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
        });
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
