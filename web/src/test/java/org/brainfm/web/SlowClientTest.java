package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.compute.Hardware;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Family;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that asks for a large export and never reads it holds up nobody else. */
class SlowClientTest {
    /** Per-case rows of ~650 bytes: some 13 MB of CSV, more than the socket buffers of both ends hold. */
    private static final int CASES = 20_000;

    @TempDir
    Path dir;

    @Test
    void aClientThatDoesNotReadTheCaseExportDelaysNoOtherRequest() throws Exception {
        try (Records records = Records.open(Fixture.url(dir))) {
            fill(records);
            try (Site site = new Site(records, Fixture.TOKEN, 0)) {
                site.app().start("127.0.0.1", 0);
                int port = site.app().port();
                try (Socket stalled = new Socket()) {
                    stalled.setReceiveBufferSize(1024);
                    stalled.connect(new InetSocketAddress("127.0.0.1", port));
                    stalled.getOutputStream().write("GET /export/cases.csv HTTP/1.1\r\nHost: localhost\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    // the answer has begun, and cannot end while nobody reads it
                    assertThat(RawHttp.statusLine(stalled)).isEqualTo("HTTP/1.1 200 OK");
                    // past the stamp's check interval, so that the board reads the records again
                    Thread.sleep(Boards.CHECK_MILLIS + 50);
                    // a generous bound for a loaded machine: a stalled export held the records for 30 s
                    // (Jetty's idle timeout) when it streamed them under their lock
                    HttpResponse<String> board = HttpClient.newHttpClient().send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                    .timeout(Duration.ofSeconds(15)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(board.statusCode()).isEqualTo(200);
                    assertThat(board.body()).contains("Leaderboard");
                }
            }
        }
    }

    private static void fill(Records records) {
        Fixture.catalog(records);
        String team = "T" + "t".repeat(199);
        long entry = records.entries().add(NewEntry.submitted(team, "E" + "e".repeat(199), Family.CNN,
                Fixture.submission(records, team, "submissions/large")));
        List<CaseScore> cases = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            cases.add(CaseScore.of(String.format("%0200d", c), "dice", 0.5));
        }
        try (ActiveRun run = records.runs().start(NewRun.score(entry, Fixture.SEGMENTATION), Hardware.cpu())) {
            run.writeResults(Fixture.SEGMENTATION, cases, List.of(new AggregateScore("dice", 0.5, 0.4, 0.6, CASES)));
            run.finish(1_000L);
        }
    }
}
