package org.brainfm.challenge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.brainfm.records.NewSubmission;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.TeamRow;

/**
 * Receives a team's upload into the store's spool, as it arrives, and records it {@code received}
 * for the scoring workers to check. Nothing is unpacked or read here: only the bytes are counted
 * (past the limit the upload is refused and what came is deleted) and hashed. The same archive
 * sent again by the same team to the same phase is the same submission.
 */
public final class Uploads {
    /** Most bytes of one upload unless the organiser says otherwise. */
    public static final long DEFAULT_MAX_BYTES = 200L * 1024 * 1024;

    private final Records records;
    private final Path spool;
    private final Path store;
    private final long maxBytes;

    /** An upload refused before it was recorded: too large, or not an archive by its name. */
    public static final class Refused extends Exception {
        private final boolean tooLarge;

        Refused(String message, boolean tooLarge) {
            super(message, null, false, false);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /** What a received upload became: its submission, and whether the same archive had come before. */
    public record Received(long submissionId, boolean duplicate) {}

    public Uploads(Records records, Path store, long maxBytes) {
        this.records = records;
        this.store = store.toAbsolutePath().normalize();
        this.spool = this.store.resolve("uploads");
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the upload spool " + spool + " cannot be created", e);
        }
    }

    /** Where uploads wait, as they arrive and once received. */
    public Path spool() {
        return spool;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The extension an upload's file name must end with: {@code .zip}, {@code .tar.gz} or {@code .tgz}; empty if none. */
    private static Optional<String> extension(String fileName) {
        String lower = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".zip", ".tar.gz", ".tgz"}) {
            if (lower.endsWith(ext)) {
                return Optional.of(ext.equals(".tgz") ? ".tar.gz" : ext);
            }
        }
        return Optional.empty();
    }

    /**
     * Streams {@code body} into the spool and records it for {@code team} in {@code phase}, which
     * the caller has admitted ({@link Challenge#refusal}).
     */
    public Received receive(InputStream body, String fileName, TeamRow team, PhaseRow phase) throws IOException, Refused {
        String ext = extension(fileName).orElseThrow(() -> new Refused("the upload must be a .zip or .tar.gz of the entry's"
                + " folder (submissions/README.md)", false));
        Path part = Files.createTempFile(spool, ".part-", ext);
        try {
            MessageDigest digest = sha256();
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(part)) {
                for (int n; (n = body.read(buffer)) > 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw new Refused("the upload is larger than the " + maxBytes / (1024 * 1024) + " MiB a phase takes", true);
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            String key = HexFormat.of().formatHex(sha256().digest((HexFormat.of().formatHex(digest.digest()) + "\nteam " + team.id()
                    + "\nphase " + phase.id()).getBytes(StandardCharsets.UTF_8)));
            Optional<SubmissionRow> same = records.submissions().bySha256(key);
            if (same.isPresent()) {
                return new Received(same.get().id(), true);
            }
            Path archive = spool.resolve(key + ext);
            Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long id = records.submissions().add(new NewSubmission(team.name(), null, null, key, store.resolve(key).toString(),
                    archive.toString(), "{}", null, null).inPhase(team.id(), phase.id()));
            return new Received(id, false);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
