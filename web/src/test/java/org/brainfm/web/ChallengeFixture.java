package org.brainfm.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.brainfm.challenge.Uploads;
import org.brainfm.data.Case;
import org.brainfm.data.Datasets;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.BoardRule;
import org.brainfm.records.EvaluationSplit;
import org.brainfm.records.NewPhase;
import org.brainfm.records.Records;
import org.brainfm.submission.ArchiveLimits;
import org.brainfm.submission.EntryCheck;
import org.brainfm.submission.EntryScoring;
import org.brainfm.submission.Intake;
import org.brainfm.submission.ScoringLimits;
import org.brainfm.submission.ScoringQueue;

/**
 * A challenge on a real site for the web tests: a tiny synthetic brain-age task (its data made
 * here on first use), two teams with tokens, phases (a public sanity phase, a private test phase
 * that requires it, one that is closed), the site taking uploads, and a scoring worker in the
 * background - the same classes {@code brainfm serve --workers 1} wires.
 */
final class ChallengeFixture implements AutoCloseable {
    static final String TASK = "age";
    static final String DATASETS = """
            datasets:
              - name: tiny-age
                kind: synthetic
                contrasts: [t1, t2]
                generator: {seed: 4, subjects: 10, sessions: 1, size: 32, meningioma-share: 0, infarct-share: 0}
            tasks:
              - name: age
                type: regression
                dataset: tiny-age
                inputs: [t1, t2]
                label: age.txt
                finetune: 4
                test: 6
                metrics: [mae, pearson-r]
                seeds: [1]
            """;
    /** Largest upload the site takes here. */
    static final long MAX_BYTES = 1024 * 1024;

    final Path dir;
    final Records records;
    final Datasets datasets;
    final String alpha;
    final String beta;
    /** A team only the refusal test uses: it never passes the sanity phase. */
    final String gamma;
    final Site site;
    final ScoringQueue queue;
    final StringWriter log = new StringWriter();

    ChallengeFixture(Path dir) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("datasets.yaml"), DATASETS);
        datasets = Datasets.load(dir.resolve("datasets.yaml"));
        records = Records.open(Fixture.url(dir));
        alpha = records.teams().add("Team Alpha").token();
        beta = records.teams().add("Team Beta").token();
        gamma = records.teams().add("Team Gamma").token();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long sanity = records.phases().add(new NewPhase("sanity", "open", List.of(TASK), EvaluationSplit.SANITY, now.minusHours(1),
                null, 3, 24, true, BoardRule.BEST, null));
        records.phases().add(new NewPhase("final", "open", List.of(TASK), EvaluationSplit.TEST, now.minusHours(1), null, 2, 24,
                false, BoardRule.LATEST, sanity));
        records.phases().add(new NewPhase("early", "open", List.of(TASK), EvaluationSplit.VALIDATION, now.minusDays(3),
                now.minusDays(1), 3, 24, false, BoardRule.BEST, null));
        records.phases().add(new NewPhase("methods", "methods", List.of(TASK), EvaluationSplit.TEST, now.minusHours(1), null, 3, 24,
                false, BoardRule.BEST, null));
        records.phases().add(new NewPhase("tight", "open", List.of(TASK), EvaluationSplit.TEST, now.minusHours(1), null, 1, 24,
                false, BoardRule.BEST, null));
        Path store = dir.resolve("store");
        site = new Site(records, Fixture.TOKEN, 0, new Uploads(records, store, MAX_BYTES));
        site.app().start("127.0.0.1", 0);
        PrintWriter out = new PrintWriter(log, true);
        queue = new ScoringQueue(records, new Intake(records, store, datasets, dir, ArchiveLimits.defaults()),
                new EntryScoring(records, datasets, dir, dir.resolve("models"), new ScoringLimits(512, 4096, 30, 120, 60), 100, out),
                Duration.ofMillis(100), out);
        queue.start(1);
    }

    int port() {
        return site.app().port();
    }

    /** The cases a phase of {@code split} scores. */
    List<Case> cases(EvaluationSplit split) {
        return EntryCheck.cases(new TaskPlan(datasets, TASK), split);
    }

    /**
     * A zipped predictions entry of {@code team} for the cases of {@code split}: each age off by
     * {@code error} years; {@code dropFirst} leaves the first case out (a broken entry).
     */
    Path entry(String team, String name, EvaluationSplit split, double error, boolean dropFirst) throws IOException {
        StringBuilder csv = new StringBuilder("case,age\n");
        List<Case> cases = cases(split);
        for (Case c : dropFirst ? cases.subList(1, cases.size()) : cases) {
            csv.append(TaskPlan.caseId(c)).append(',').append(String.format(Locale.ROOT, "%.4f", c.target() + error)).append('\n');
        }
        String manifest = """
                team: %s
                entry: %s
                contact: team@example.org
                family: cnn
                parameters: 1000
                gpu_hours: 0
                description: A test entry.
                kind: predictions
                tasks:
                  age:
                    predictions: age.csv
                """.formatted(team, name);
        Path zip = dir.resolve(name + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> f : Map.of("manifest.yaml", manifest, "age.csv", csv.toString()).entrySet()) {
                out.putNextEntry(new ZipEntry(f.getKey()));
                out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    /** Writes a multipart body with one file part {@code file} of {@code name}, returning its boundary. */
    static String multipart(OutputStream out, String name, byte[] content) throws IOException {
        String boundary = "brainfm-test-boundary";
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(content);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return boundary;
    }

    /** Uploads {@code zip} through the API for the team of {@code token}; the new submission's id. */
    long upload(String token, String phase, Path zip) throws IOException, InterruptedException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        String boundary = multipart(body, zip.getFileName().toString(), Files.readAllBytes(zip));
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port() + "/api/submissions?phase=" + phase))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("upload refused: " + r.statusCode() + " " + r.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("submission_id").asLong();
    }

    @Override
    public void close() {
        queue.close();
        site.close();
        records.close();
    }
}
