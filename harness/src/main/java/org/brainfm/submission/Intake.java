package org.brainfm.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.records.NewSubmission;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.records.TeamRow;
import org.brainfm.score.Registry;

/**
 * Takes an entry in (a folder, or an archive of one): copies or unpacks it into the store under the
 * SHA-256 of its content, records the submission, checks it and records the verdict with every
 * reason. Whatever is wrong with the entry ends as a recorded {@code invalid} submission; only a
 * problem of the organiser's own (no such path, a full disk) is an error.
 */
public final class Intake {
    /** Team recorded for an entry whose manifest cannot be read. */
    static final String UNKNOWN_TEAM = "(unknown team)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Records records;
    private final Path store;
    private final Datasets datasets;
    private final Path cards;
    private final ArchiveLimits limits;

    /** What a submit did: the submission, where it stands and why, and whether it was new. */
    public record Outcome(long submissionId, SubmissionStatus status, List<String> reasons, boolean duplicate) {}

    /** Our own baseline, submitted from a finetuning run (null for entries from outside). */
    public record Baseline(String card, long finetuneRun) {}

    public Intake(Records records, Path store, Datasets datasets, Path cards, ArchiveLimits limits) {
        this.records = records;
        this.store = store.toAbsolutePath().normalize();
        this.datasets = datasets;
        this.cards = cards;
        this.limits = limits;
    }

    /** A challenge upload: the team whose token sent it, the phase it enters, and the file name it came under. */
    public record Upload(TeamRow team, PhaseRow phase, String fileName) {}

    /** Submits {@code source}: an entry folder, or a {@code .zip} / {@code .tar.gz} of one. */
    public Outcome submit(Path source, Baseline baseline) {
        return take(source, baseline, null);
    }

    /**
     * Takes in an archive uploaded by a team to a phase, which the caller has admitted
     * ({@link org.brainfm.challenge.Challenge#refusal}). The team is the token's, whatever the manifest says (a
     * different team there is a problem); the same content sent again by the same team to the
     * same phase is the same submission, and nothing tells a team that another sent it too.
     */
    public Outcome upload(Path archive, Upload upload) {
        return take(archive, null, upload);
    }

    private Outcome take(Path source, Baseline baseline, Upload upload) {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new BrainfmException(source.toString(), "no such file or folder");
        }
        Path incoming = createIncoming();
        try {
            List<String> problems = new ArrayList<>();
            String sha;
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                copyFolder(source, incoming, problems);
                sha = problems.isEmpty() ? treeHash(incoming) : fileHash(treeHash(incoming) + "\n" + String.join("\n", problems));
            } else if (Archives.isArchive(source)) {
                Archives.Unpacked unpacked = Archives.unpack(source, incoming, limits);
                problems.addAll(unpacked.problems());
                sha = unpacked.ok() ? treeHash(incoming) : hashOfFile(source);
            } else {
                throw new BrainfmException(source.toString(), "is neither an entry folder nor a .zip or .tar.gz of one");
            }
            if (upload != null) {
                sha = fileHash(sha + "\nteam " + upload.team().id() + "\nphase " + upload.phase().id());
            }
            Optional<SubmissionRow> same = records.submissions().bySha256(sha);
            if (same.isPresent()) {
                return new Outcome(same.get().id(), same.get().status(), same.get().reasons(), true);
            }
            Path folder = store.resolve(sha);
            moveInto(incoming, folder);
            ManifestSpec m = checkStored(folder, problems, upload, baseline);
            NewSubmission row = new NewSubmission(upload != null ? upload.team().name() : m != null ? m.team() : UNKNOWN_TEAM,
                    m != null ? m.entry() : null, m != null ? m.kind() : null, sha, folder.toString(),
                    upload != null ? "upload " + upload.fileName() : source.toString(),
                    manifestJson(folder), baseline == null ? null : baseline.card(),
                    baseline == null ? null : baseline.finetuneRun());
            long id = records.submissions().add(upload == null ? row : row.inPhase(upload.team().id(), upload.phase().id()));
            SubmissionStatus status = problems.isEmpty() ? SubmissionStatus.VALID : SubmissionStatus.INVALID;
            records.submissions().setStatus(id, status, problems);
            return new Outcome(id, status, List.copyOf(problems), false);
        } finally {
            deleteFolder(incoming);
        }
    }

    /**
     * Checks an upload the site received and spooled ({@code received}, its archive at its source
     * path), which the caller holds ({@link org.brainfm.records.Submissions#claimCheck}): unpacks
     * it into the store, checks it for its phase, and records it valid or invalid with every reason.
     */
    public Outcome checkReceived(long id) {
        SubmissionRow row = records.submissions().get(id).orElseThrow(() -> new IllegalArgumentException("no submission " + id));
        Upload upload = new Upload(records.teams().get(row.teamId()).orElseThrow(),
                records.phases().get(row.phaseId()).orElseThrow(), Path.of(row.source()).getFileName().toString());
        Path archive = Path.of(row.source());
        Path incoming = createIncoming();
        try {
            List<String> problems = new ArrayList<>();
            if (Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
                problems.addAll(Archives.unpack(archive, incoming, limits).problems());
            } else {
                problems.add("the uploaded archive is no longer in the store; send it again");
            }
            Path folder = Path.of(row.folder());
            moveInto(incoming, folder);
            ManifestSpec m = checkStored(folder, problems, upload, null);
            records.submissions().describe(id, m != null ? m.entry() : null, m != null ? m.kind() : null, manifestJson(folder));
            SubmissionStatus status = problems.isEmpty() ? SubmissionStatus.VALID : SubmissionStatus.INVALID;
            records.submissions().setStatus(id, status, problems);
            return new Outcome(id, status, List.copyOf(problems), false);
        } finally {
            deleteFolder(incoming);
        }
    }

    /** Checks an entry stored in {@code folder} (unless unpacking it found problems), adding what is wrong; its manifest or null. */
    private ManifestSpec checkStored(Path folder, List<String> problems, Upload upload, Baseline baseline) {
        EntryCheck.Checked checked = problems.isEmpty()
                ? EntryCheck.check(folder, datasets, cards, upload == null ? null : upload.phase().split())
                : new EntryCheck.Checked(null, List.of());
        problems.addAll(checked.problems());
        ManifestSpec m = checked.manifest();
        if (m != null && upload != null) {
            problems.addAll(phaseProblems(m, upload));
        }
        if (m != null && baseline == null && Registry.BASELINE_TEAM.equalsIgnoreCase(m.team())) {
            problems.add(Manifests.FILE + ": team: '" + m.team() + "' is the name of the organisers' baselines; use your team's");
        }
        return m;
    }

    /** What a phase refuses in a manifest: another team's name, a task the phase does not score. */
    private static List<String> phaseProblems(ManifestSpec m, Upload upload) {
        List<String> problems = new ArrayList<>();
        if (!upload.team().name().equalsIgnoreCase(m.team())) {
            problems.add(Manifests.FILE + ": team: '" + Manifests.shorten(m.team()) + "' is not the team whose token sent it ('"
                    + upload.team().name() + "')");
        }
        for (String task : m.tasks().keySet()) {
            if (!upload.phase().tasks().contains(task)) {
                problems.add(Manifests.FILE + ": tasks." + Manifests.shorten(task) + ": phase " + upload.phase().name()
                        + " does not score this task (its tasks: " + String.join(", ", upload.phase().tasks()) + ")");
            }
        }
        return problems;
    }

    /** The manifest as JSON for the records: the file's fields as written, or {} when it cannot be read. */
    private static String manifestJson(Path folder) {
        try {
            Path file = folder.resolve(Manifests.FILE);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > Manifests.MAX_BYTES) {
                return "{}";
            }
            return JSON.writeValueAsString(YAML.readTree(Files.readString(file)));
        } catch (IOException | RuntimeException e) {
            return "{}";
        }
    }

    private Path createIncoming() {
        try {
            Files.createDirectories(store);
            return Files.createTempDirectory(store, ".incoming-");
        } catch (IOException e) {
            throw new BrainfmException(store.toString(), "cannot create the submission store: " + e.getMessage(), e);
        }
    }

    /** Copies an entry folder as an archive would be unpacked: plain files and folders only, within the limits. */
    private void copyFolder(Path source, Path target, List<String> problems) {
        long[] files = {0};
        long[] bytes = {0};
        Path root = source.toAbsolutePath().normalize();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(target.resolve(root.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = root.relativize(file).toString();
                    if (!attrs.isRegularFile()) {
                        problems.add(name + ": is a link or a special file; entries hold plain files and folders");
                        return FileVisitResult.CONTINUE;
                    }
                    if (++files[0] > limits.maxFiles()) {
                        problems.add("the entry holds more than " + limits.maxFiles() + " files");
                        return FileVisitResult.TERMINATE;
                    }
                    if (attrs.size() > limits.maxFileBytes()) {
                        problems.add(name + ": " + attrs.size() + " bytes, more than the " + limits.maxFileBytes() + " allowed per file");
                        return FileVisitResult.CONTINUE;
                    }
                    bytes[0] += attrs.size();
                    if (bytes[0] > limits.maxUnpackedBytes()) {
                        problems.add("the entry holds more than " + limits.maxUnpackedBytes() + " bytes");
                        return FileVisitResult.TERMINATE;
                    }
                    Files.copy(file, target.resolve(name), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BrainfmException(source.toString(), "cannot be copied into the store: " + e.getMessage(), e);
        }
    }

    private static void moveInto(Path incoming, Path folder) {
        try {
            if (Files.exists(folder)) {
                deleteFolder(folder);   // left by a submit that died before recording it
            }
            Files.move(incoming, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BrainfmException(folder.toString(), "cannot store the entry: " + e.getMessage(), e);
        }
    }

    /**
     * The SHA-256 of an entry's content: of the sorted lines "path size sha256" of its files, so the
     * same files give the same hash however they arrived (a folder, a zip, a tar.gz).
     */
    static String treeHash(Path folder) {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                lines.add(folder.relativize(f).toString().replace('\\', '/') + " " + Files.size(f) + " " + hashOfFile(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fileHash(String.join("\n", lines));
    }

    static String hashOfFile(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    private static String fileHash(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a folder and everything in it (nothing when it is gone). */
    public static void deleteFolder(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
