package org.brainfm.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * HTTP as a client library would never send it: requests written byte by byte on a socket
 * (malformed bodies), a client that stops reading, and what the server logs meanwhile.
 */
final class RawHttp {
    private RawHttp() {}

    /**
     * A POST with the given extra header lines (each ending in CRLF) and body, answered on a closed
     * connection; its Content-Length is added unless the headers say the body is chunked.
     */
    static String post(int port, String path, String headers, String body) throws IOException {
        String length = headers.contains("chunked") ? "" : "Content-Length: " + body.length() + "\r\n";
        String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + length
                + "\r\n" + body;
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The status code of a raw answer. */
    static int status(String answer) {
        return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    /** Reads the status line of an answer and nothing more. */
    static String statusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    /** What {@code work} made the server log (slf4j-simple writes to the System.err of the moment). */
    static String logOf(Callable<?> work) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            work.call();
        } finally {
            System.setErr(err);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        err.print(text);
        return text;
    }
}
