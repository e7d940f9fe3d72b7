package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.cli.Main;
import org.brainfm.records.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brainfm serve} as the launcher runs it: found by the CLI, serving, stopping, and its errors. */
class ServeCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theCliListsServeAndItsHelpHasAnExample() {
        assertThat(run("--help").out()).containsPattern("\\n\\s+serve\\s+Serves the leaderboard");
        Run help = run("serve", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--port=PORT", "--db=JDBC-URL", "--host=ADDRESS", "Example:",
                "brainfm serve");
    }

    @Test
    void badInputIsOneLineNamingTheProblem() {
        Run missing = run("serve", "--db", "jdbc:h2:file:" + dir.resolve("none").toAbsolutePath());
        assertThat(missing.code()).isEqualTo(Main.ERROR_EXIT);
        assertThat(missing.err().strip()).isEqualTo("brainfm: " + dir.resolve("none.mv.db")
                + ": no records there yet; run brainfm first, or point --db at them");
        Run port = run("serve", "--port", "70000");
        assertThat(port.err().strip()).isEqualTo("brainfm: --port: 70000 is not a TCP port (0-65535)");
        Run notANumber = run("serve", "--port", "http");
        assertThat(notANumber.code()).isEqualTo(Main.ERROR_EXIT);
        assertThat(notANumber.err()).startsWith("brainfm: serve: Invalid value for option '--port'").hasLineCount(1);
    }

    /** The environment variable is read by the launcher's own process: serve runs here as a child JVM. */
    @Test
    void aShortOrganiserTokenIsRefusedBeforeServing() throws Exception {
        String url = filled();
        ProcessBuilder serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.brainfm.cli.Main", "serve", "--db", url, "--port", "0");
        serve.environment().put("BRAINFM_ADMIN_TOKEN", "s3cret");
        serve.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process process = serve.start();
        try {
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("serve stopped").isTrue();
            assertThat(process.exitValue()).isEqualTo(Main.ERROR_EXIT);
            assertThat(java.nio.file.Files.readString(dir.resolve("err.txt")).strip()).isEqualTo("brainfm: BRAINFM_ADMIN_TOKEN: "
                    + "is 6 characters long; an organiser's token needs at least 24 (make one with: openssl rand -hex 24)");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        String url = filled();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run busy = run("serve", "--db", url, "--port", Integer.toString(taken.getLocalPort()));
            assertThat(busy.code()).isEqualTo(Main.ERROR_EXIT);
            assertThat(busy.err().strip()).startsWith("brainfm: --port: 127.0.0.1:" + taken.getLocalPort()
                    + " cannot be used").endsWith("pick another --port").hasLineCount(1);
        }
    }

    @Test
    void servesTheBoardUntilStopped() throws Exception {
        String url = filled();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread[] server = new Thread[1];
        CompletableFuture<Integer> code = new CompletableFuture<>();
        server[0] = new Thread(() -> code.complete(Main.run(new String[] {"serve", "--db", url, "--port", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true))));
        server[0].start();
        String address = null;
        for (int i = 0; i < 200 && address == null; i++) {
            Matcher m = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)").matcher(out.toString());
            address = m.find() ? m.group(1) : null;
            Thread.sleep(50);
        }
        assertThat(address).as("serve printed no address: " + out + err).isNotNull();
        HttpResponse<String> board = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(board.statusCode()).isEqualTo(200);
        assertThat(board.body()).contains("U-Net cross-contrast");
        server[0].interrupt();
        assertThat(code.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        // the records were closed: another process may open the file now
        try (Records again = Records.open(url)) {
            assertThat(again.entries().all()).isNotEmpty();
        }
    }

    private String filled() {
        String url = Fixture.url(dir);
        try (Records records = Records.open(url)) {
            new Fixture(records);
        }
        return url;
    }
}
