package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.FormBody;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.nio.file.Path;
import org.brainfm.compute.Devices;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.EntryDef;
import org.brainfm.records.Family;
import org.brainfm.records.Records;
import org.brainfm.records.RunSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Organiser actions need the token, change nothing without it, and show on the boards at once. */
class AdminTest {
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
                assertThat(records.entry(data.vit).orElseThrow().hidden()).isFalse();
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
                assertThat(records.entry(data.vit).orElseThrow().hidden()).isFalse();
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
                assertThat(records.entry(data.vit).orElseThrow().hidden()).isTrue();
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
    void aRunFinishedElsewhereShowsWithinTheStampCheck() {
        try (Site site = new Site(records, Fixture.TOKEN, 0)) {
            JavalinTest.test(site.app(), (server, client) -> {
                assertThat(client.get("/").body().string()).doesNotContain("Late entry");
                long late = records.addEntry(EntryDef.baseline("brainfm", "Late entry", Family.CNN, "compact-unet"));
                try (ActiveRun run = records.startRun(RunSpec.score(late, Fixture.REGRESSION), Devices.cpu())) {
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
