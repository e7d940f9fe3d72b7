package org.brainfm.web;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The large exports of one {@link Snapshot}, each written once to a file and served from it.
 * Writing one reads the records under their lock, which must never wait on a client: a client
 * that reads slowly (or not at all) reads from the file and holds up nobody else. The files go
 * when the snapshot is replaced ({@link #discard}); an answer that opened one already reads on
 * (an open file stays readable once deleted).
 */
final class ExportFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ExportFiles.class);

    /** Writes one export. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private final Path dir;
    private final Map<String, Path> files = new HashMap<>();
    private boolean discarded;

    ExportFiles(Path dir) {
        this.dir = dir;
    }

    /** The export {@code key}, open for reading; {@code writer} writes it the first time it is asked for. */
    synchronized InputStream open(String key, Writer writer) throws IOException {
        Path file = files.get(key);
        if (file == null) {
            file = Files.createTempFile(dir, "export-", ".csv");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                writer.write(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            files.put(key, file);
        }
        InputStream in = Files.newInputStream(file);
        if (discarded) {
            // asked of a snapshot replaced meanwhile: served this once, not kept
            deleteAll();
        }
        return in;
    }

    /** Deletes the files: their snapshot is replaced. */
    synchronized void discard() {
        discarded = true;
        deleteAll();
    }

    private void deleteAll() {
        for (Path file : files.values()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete the export {}: {}", file, e.toString());
            }
        }
        files.clear();
    }
}
