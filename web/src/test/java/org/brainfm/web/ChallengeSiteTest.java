package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.brainfm.data.Case;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.EvaluationSplit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A challenge through the site's API as teams and readers use it (docs/challenge.md): uploads
 * refused with their reasons, a good and a broken entry checked and scored in the background, a
 * team that sees only its own submissions, per-case results nowhere public, and readers who never
 * see an error or half a submission while a worker scores.
 */
class ChallengeSiteTest {
    @TempDir
    static Path dir;
    static ChallengeFixture challenge;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws IOException {
        challenge = new ChallengeFixture(dir);
    }

    @AfterAll
    static void stop() {
        challenge.close();
    }

    @Test
    void everyRefusedUploadSaysWhyWithItsStatus() throws Exception {
        byte[] zip = Files.readAllBytes(challenge.entry("Team Gamma", "refused", EvaluationSplit.SANITY, 1, false));
        String gamma = challenge.gamma;
        List<String> table = new ArrayList<>();
        table.add(row("no token", upload(null, "sanity", "e.zip", zip), 401, "needs your team's token"));
        table.add(row("wrong token", upload(gamma + "x", "sanity", "e.zip", zip), 401, "needs your team's token"));
        table.add(row("no phase named", upload(gamma, null, "e.zip", zip), 400, "phase is missing"));
        table.add(row("unknown phase", upload(gamma, "nope", "e.zip", zip), 404, "no phase nope"));
        table.add(row("closed phase", upload(gamma, "early", "e.zip", zip), 403, "phase early closed at "));
        table.add(row("sanity not passed", upload(gamma, "final", "e.zip", zip), 403,
                "takes entries of teams that passed phase sanity"));
        table.add(row("not an archive", upload(gamma, "sanity", "entry.rar", zip), 415, "must be a .zip or .tar.gz"));
        table.add(row("too large (declared)", tooLarge(), 413, "larger than the 1 MiB"));
        table.add(row("too large (streamed)", upload(gamma, "sanity", "big.zip", new byte[(int) ChallengeFixture.MAX_BYTES + 10]),
                413, "larger than the 1 MiB"));
        assertThat(upload(gamma, "tight", "ok.zip", Files.readAllBytes(challenge.entry("Team Gamma", "tight-1", EvaluationSplit.TEST,
                1, false))).statusCode()).isEqualTo(202);
        HttpResponse<String> spent = upload(gamma, "tight", "ok2.zip", Files.readAllBytes(challenge.entry("Team Gamma", "tight-2",
                EvaluationSplit.TEST, 1, false)));
        table.add(row("limit spent", spent, 429, "has sent the 1 entry phase tight takes in 24 h; the next slot opens at "));
        assertThat(Long.parseLong(spent.headers().firstValue("Retry-After").orElseThrow())).isBetween(86_000L, 86_400L);
        table.add(row("broken multipart", raw(gamma, "sanity", "multipart/form-data; boundary=x", "--x\r\nnonsense"), 400,
                "cannot be read as a multipart upload"));
        System.out.println("refused uploads:\n" + String.join("\n", table));
        assertThat(challenge.records.audit().latest(100)).filteredOn(a -> a.action().equals("upload refused")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(challenge.records.submissions().ofTeam(challenge.records.teams().byName("Team Gamma").orElseThrow().id()))
                .as("nothing refused was recorded as a submission").hasSize(1);
    }

    @Test
    void aTeamSeesItsGoodEntryScoredItsBrokenEntryExplainedAndNothingOfAnotherTeam() throws Exception {
        HttpResponse<String> good = upload(challenge.beta, "methods", "good.zip",
                Files.readAllBytes(challenge.entry("Team Beta", "beta-good", EvaluationSplit.TEST, 2, false)));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        long id = JSON.readTree(good.body()).get("submission_id").asLong();
        HttpResponse<String> again = upload(challenge.beta, "methods", "good.zip",
                Files.readAllBytes(challenge.entry("Team Beta", "beta-good", EvaluationSplit.TEST, 2, false)));
        assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
        HttpResponse<String> broken = upload(challenge.beta, "methods", "broken.zip",
                Files.readAllBytes(challenge.entry("Team Beta", "beta-broken", EvaluationSplit.TEST, 2, true)));
        long brokenId = JSON.readTree(broken.body()).get("submission_id").asLong();

        JsonNode scored = await(challenge.beta, id, "scored");
        assertThat(scored.at("/results/age/mae/score").asDouble()).isBetween(1.999, 2.001);
        assertThat(scored.at("/results/age/mae/n").asInt()).isEqualTo(challenge.cases(EvaluationSplit.TEST).size());
        assertThat(scored.at("/results/age").has("cases")).as("a private phase shows no per-case results").isFalse();
        JsonNode invalid = await(challenge.beta, brokenId, "invalid");
        // the organiser reads a submission's model logs; nobody else does
        assertThat(get("/admin/submissions/" + id + "/logs", null).statusCode()).isEqualTo(401);
        assertThat(get("/admin/submissions/" + id + "/logs", challenge.beta).statusCode()).isEqualTo(401);
        assertThat(get("/admin/submissions/" + id + "/logs", Fixture.TOKEN).body()).contains("has no model log");
        assertThat(invalid.get("reasons").toString()).contains("age.csv: no prediction for test case");

        // another team's token: as if it did not exist; the list holds only the team's own
        assertThat(get("/api/submissions/" + id, challenge.alpha).statusCode()).isEqualTo(404);
        assertThat(get("/api/submissions/999999", challenge.alpha).statusCode()).isEqualTo(404);
        assertThat(get("/api/submissions", challenge.alpha).body()).doesNotContain("beta-good");
        assertThat(get("/api/submissions/" + id, null).statusCode()).isEqualTo(401);

        // the phase's board has it, the general board and the public exports do not
        Thread.sleep(2 * Boards.CHECK_MILLIS);   // the site reads the records' stamp at most every CHECK_MILLIS
        JsonNode board = JSON.readTree(get("/api/phases/methods", null).body());
        assertThat(board.at("/boards/age/entries").toString()).contains("Team Beta", "beta-good").doesNotContain("beta-broken");
        assertThat(get("/", null).body()).doesNotContain("beta-good");
        String cases = get("/export/cases.csv", null).body();
        for (Case c : challenge.cases(EvaluationSplit.TEST)) {
            assertThat(cases).doesNotContain(TaskPlan.caseId(c));
        }
        assertThat(get("/phases?track=methods", null).body()).contains("methods").doesNotContain(">sanity<");
    }

    @Test
    void aHundredReadersNeverSeeAnErrorOrHalfASubmissionWhileAWorkerScores() throws Exception {
        HttpResponse<String> sent = upload(challenge.alpha, "sanity", "load.zip",
                Files.readAllBytes(challenge.entry("Team Alpha", "alpha-load", EvaluationSplit.SANITY, 3, false)));
        long id = JSON.readTree(sent.body()).get("submission_id").asLong();
        ExecutorService readers = Executors.newFixedThreadPool(100);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger half = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            done.add(readers.submit(() -> {
                for (int k = 0; k < 15; k++) {
                    try {
                        HttpResponse<String> r = get(k % 3 == 0 ? "/" : "/api/phases/sanity", null);
                        requests.incrementAndGet();
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (r.body().contains("alpha-load") && !(r.body().contains("\"mae\"") && r.body().contains("\"pearson_r\""))) {
                            half.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        readers.shutdown();
        JsonNode scored = await(challenge.alpha, id, "scored");
        System.out.printf("load: %d requests by 100 readers in %.1f s wall while a worker scored submission %d: %d errors,"
                + " %d half-shown%n", requests.get(), (System.nanoTime() - started) / 1e9, id, errors.get(), half.get());
        assertThat(errors.get()).isZero();
        assertThat(half.get()).isZero();
        // a public sanity phase: the team sees its per-case results
        assertThat(scored.at("/results/age/cases").size()).isEqualTo(challenge.cases(EvaluationSplit.SANITY).size() * 2);
        Thread.sleep(2 * Boards.CHECK_MILLIS);   // the site reads the records' stamp at most every CHECK_MILLIS
        assertThat(get("/api/phases/sanity", null).body()).contains("alpha-load");
        assertThat(get("/phases/sanity", null).body()).contains("alpha-load", "A test entry.");
    }

    // ---- helpers

    /** An answer as the refusal table shows it. */
    record Answer(int status, String body, String retryAfter) {
        static Answer of(HttpResponse<String> r) {
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
        }
    }

    private static String row(String what, HttpResponse<String> r, int status, String reason) throws IOException {
        return row(what, Answer.of(r), status, reason);
    }

    private static String row(String what, Answer r, int status, String reason) throws IOException {
        assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(status);
        String error = JSON.readTree(r.body()).path("error").asText();
        assertThat(error).as(what).contains(reason);
        return "| " + what + " | " + r.status() + (r.retryAfter() == null ? "" : " (Retry-After " + r.retryAfter() + ")")
                + " | " + error + " |";
    }

    static HttpResponse<String> upload(String token, String phase, String name, byte[] content) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String boundary = ChallengeFixture.multipart(body, name, content);
        return raw(token, phase, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private static HttpResponse<String> raw(String token, String phase, String type, String body) throws Exception {
        return raw(token, phase, type, body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static HttpResponse<String> raw(String token, String phase, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/submissions" + (phase == null ? "" : "?phase=" + phase)))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Declares 100 MiB and sends a few bytes: the answer comes at once, the rest never read. */
    private static Answer tooLarge() throws Exception {
        String request = "POST /api/submissions?phase=sanity HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + challenge.gamma
                + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 104857600\r\n\r\n--x\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", challenge.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            int status = RawHttp.status(in.readLine());
            StringBuilder body = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                body.append(line).append('\n');
                if (line.startsWith("}")) {
                    break;
                }
            }
            return new Answer(status, body.substring(body.indexOf("{")), null);
        }
    }

    static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (at most two minutes) for a submission to reach {@code status}; its JSON then. */
    static JsonNode await(String token, long id, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            JsonNode s = JSON.readTree(get("/api/submissions/" + id, token).body());
            if (s.path("status").asText().equals(status) || System.nanoTime() > deadline) {
                assertThat(s.path("status").asText()).as(s + "\n" + challenge.log).isEqualTo(status);
                return s;
            }
            Thread.sleep(100);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + challenge.port();
    }
}
