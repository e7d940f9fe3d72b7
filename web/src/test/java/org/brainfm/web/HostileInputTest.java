package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.FormBody;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.brainfm.records.Records;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names and figures from outside, as an attacker writes them: exports, links and pages stay safe and readable. */
class HostileInputTest {
    @TempDir
    static Path dir;
    @AutoClose
    static Records records;
    static Hostile data;

    @BeforeAll
    static void fill() {
        records = Records.open(Fixture.url(dir));
        data = new Hostile(records);
    }

    private static void serve(TestCase test) {
        SiteTest.serve(records, test);
    }

    @Test
    void everyExportPrefixesACellThatASpreadsheetWouldRunAsAFormula() {
        serve((server, client) -> {
            for (String path : List.of("/export/leaderboard.csv", "/export/tasks/" + Fixture.REGRESSION + ".csv",
                    "/export/cases.csv")) {
                List<Map<String, String>> rows = SiteTest.csv(client.get(path).body().string());
                assertThat(rows).as(path).isNotEmpty();
                assertThat(rows).as(path).filteredOn(r -> r.get("entry_id").equals(Long.toString(data.formula)))
                        .allMatch(r -> r.get("team").equals("'" + Hostile.FORMULA_TEAM)
                                && r.get("entry").equals("'" + Hostile.FORMULA_ENTRY));
                assertThat(rows).as(path).filteredOn(r -> r.get("entry_id").equals(Long.toString(data.minus)))
                        .allMatch(r -> r.get("team").equals("'" + Hostile.AT_TEAM)
                                && r.get("entry").equals("'" + Hostile.MINUS_ENTRY));
                assertThat(rows).as(path).filteredOn(r -> r.get("entry_id").equals(Long.toString(data.tab)))
                        .allMatch(r -> r.get("team").equals("'" + Hostile.TAB_TEAM)
                                && r.get("entry").equals("'" + Hostile.CR_ENTRY));
                // other names, and numbers (negative ones too), are as they were
                assertThat(rows).as(path).filteredOn(r -> r.get("entry_id").equals(Long.toString(data.claims)))
                        .allMatch(r -> r.get("team").equals("Claims"));
            }
        });
    }

    @Test
    void taskLinksAreEncodedOnEveryPage() {
        String link = "href=\"/tasks/what%3F%20%231%2Fa%20b\"";
        serve((server, client) -> {
            for (String path : List.of("/", "/tasks", "/entries/" + data.formula, "/compare")) {
                String html = client.get(path).body().string();
                assertThat(html).as(path).contains(link).doesNotContain("href=\"/tasks/what?");
            }
            Response task = client.get(Links.task(Hostile.ODD_TASK));
            assertThat(task.code()).isEqualTo(200);
            assertThat(task.body().string()).contains("<h1>Task <span>what? #1/a b</span></h1>");
        });
    }

    @Test
    void aLongNameIsCutToItsColumnWithTheWholeNameInItsTitle() {
        serve((server, client) -> {
            for (String path : List.of("/", "/tasks/" + Fixture.REGRESSION, "/compare")) {
                String html = client.get(path).body().string();
                assertThat(html).as(path).contains("class=\"name\" title=\"" + Hostile.LONG + "\"");
            }
            assertThat(client.get("/").body().string()).contains("class=\"name\" title=\"" + Hostile.LONG_TEAM + "\"");
            assertThat(client.get("/static/site.css").body().string()).contains(".name {");
        });
    }

    @Test
    void bidiControlsAndInvisibleCharactersShowAsTheirCodes() {
        serve((server, client) -> {
            String signedIn = client.request("/admin", b -> b.post(new FormBody.Builder().add("token", Fixture.TOKEN).build()))
                    .body().string();
            assertThat(signedIn).contains("Every entry, hidden ones included");
            String entry = "U\\u200B-Net\\u2066 v2\\u2069\\uFEFF\\u200F\\u202A";
            String team = "Lab A\\u202Egnp.exe\\u202C";
            for (String html : List.of(client.get("/").body().string(), client.get("/tasks/" + Fixture.REGRESSION).body().string(),
                    client.get("/entries/" + data.bidi).body().string(), signedIn)) {
                assertThat(html).doesNotContainPattern(Hostile.INVISIBLE).contains(entry, team);
            }
            assertThat(client.get("/compare").body().string()).doesNotContainPattern(Hostile.INVISIBLE).contains(entry);
            // the API keeps the name as it was given, as JSON (nothing a browser would run)
            Response api = client.get("/api/entries/" + data.bidi);
            assertThat(api.headers().get("X-Content-Type-Options").get(0)).isEqualTo("nosniff");
            assertThat(SiteTest.json(api).get("entry").asText()).isEqualTo(Hostile.BIDI_ENTRY);
        });
    }

    @Test
    void absurdClaimedFiguresPrintInABoundedWidth() {
        serve((server, client) -> {
            for (String path : List.of("/", "/entries/" + data.claims, "/compare")) {
                String html = client.get(path).body().string();
                assertThat(html).as(path).doesNotContainPattern("\\d[\\d,]{30}");
            }
            assertThat(client.get("/").body().string()).contains("claimed 1.00e+300 GPU-h");
            assertThat(client.get("/entries/" + data.claims).body().string()).contains("1.00e+300 GPU-h of pretraining",
                    "9.22e+18");
        });
    }
}
