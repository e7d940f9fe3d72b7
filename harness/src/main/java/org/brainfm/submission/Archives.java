package org.brainfm.submission;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.brainfm.BrainfmException;

/**
 * Unpacks an entry archive (.zip, .tar.gz, .tgz) into an empty folder, or refuses it with every
 * problem found. The archive is hostile input: each member's name is checked before anything is
 * made for it, only regular files and folders are made (with the permissions any new file gets),
 * and sizes are counted from the bytes actually unpacked, never from what a header declares.
 * After the first problem nothing more is written, but the members that follow are still read,
 * within the same limits, so that every bad name is reported at once; a limit passed or a
 * damaged archive stops the reading there. A refused archive leaves the folder empty.
 *
 * <p>Zips are read as a stream of local headers (commons-compress's ZipArchiveInputStream), not
 * through their central directory (ZipFile, java.util.zip): those read the whole directory into
 * memory before the first member, so a million tiny members would cost their full price before
 * the member limit could stop them, while a stream stops at the first member past the limit.
 * The price: a zip keeps a member's unix mode, which marks a symbolic link, only in its central
 * directory, so a zipped link arrives as a small regular file holding the link's target. Nothing
 * here ever makes a link.
 */
public final class Archives {
    /**
     * At most this much for one tar member's headers: commons-compress holds a GNU long name or a
     * pax record in memory whole, and a few kilobytes of gzip unpack to gigabytes of name.
     */
    static final int HEADER_BYTES = 1 << 20;
    /** The longest file name that Linux, macOS and Windows file systems all take. */
    private static final int NAME_PART_BYTES = 255;
    /** The end of central directory record closes a zip, after at most a 65,535-byte comment. */
    private static final int ZIP_END_BYTES = 22;
    private static final int ZIP_TAIL_BYTES = ZIP_END_BYTES + 65_535;
    private static final byte[] ZIP_MEMBER = {'P', 'K', 3, 4};
    private static final byte[] ZIP_END = {'P', 'K', 5, 6};
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final Pattern DRIVE_LETTER = Pattern.compile("[A-Za-z]:");
    private static final Set<Byte> REGULAR_TAR_TYPES = Set.of(TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM,
            TarConstants.LF_CONTIG);
    /**
     * What zip tools write: no compression, deflate, and deflate64 (Windows, for large files).
     * commons-compress reads zstd and xz only with libraries this project does not ship.
     */
    private static final Set<Integer> ZIP_METHODS = Set.of(ZipMethod.STORED.getCode(), ZipMethod.DEFLATED.getCode(),
            ZipMethod.ENHANCED_DEFLATED.getCode());

    private Archives() {}

    /** What unpacking gave: the problems (none when it worked), and the files and bytes the folder now holds. */
    public record Unpacked(List<String> problems, int files, long bytes) {
        public Unpacked {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Whether the file's name says it is an archive this class unpacks: .zip, .tar.gz or .tgz. */
    public static boolean isArchive(Path file) {
        return Packing.of(file) != null;
    }

    /**
     * Unpacks {@code archive} into {@code target} (made if missing; it must be empty). An archive
     * whose members all lie in one top-level folder, as a team zips its entry folder, is unpacked
     * from inside that folder. Problems with the archive are returned; problems with this machine
     * (the archive cannot be read, the target cannot be made) are thrown.
     */
    public static Unpacked unpack(Path archive, Path target, ArchiveLimits limits) {
        Path folder = emptyFolder(target);
        if (!Files.isRegularFile(archive)) {
            throw new BrainfmException(archive.toString(), "no such file");
        }
        String name = archive.getFileName().toString();
        Packing format = Packing.of(archive);
        try {
            if (format == null) {
                return refused(name + ": is not a .zip, .tar.gz or .tgz file");
            }
            if (Files.size(archive) > limits.maxArchiveBytes()) {
                return refused(name + ": is larger than the limit of " + size(limits.maxArchiveBytes()) + " for an archive");
            }
            if (!format.signs(head(archive))) {
                return refused(name + ": is not " + format.what);
            }
            Unpacking unpacking = new Unpacking(name, folder, limits);
            unpacking.read(archive, format);
            List<String> problems = unpacking.problems;
            if (problems.isEmpty() && format == Packing.ZIP && !endsWithCentralDirectory(archive)) {
                // A zip cut between two members reads as a shorter complete one.
                problems.add(name + ": is truncated or corrupt: it ends before its central directory");
            }
            if (problems.isEmpty() && unpacking.members == 0) {
                problems.add(name + ": is empty");
            }
            if (!problems.isEmpty()) {
                empty(folder);
                return new Unpacked(problems, 0, 0);
            }
            if (unpacking.oneTopFolder) {
                liftContent(folder, unpacking.top);
            }
            return new Unpacked(List.of(), unpacking.files, unpacking.bytes);
        } catch (IOException e) {
            empty(folder);
            throw new BrainfmException(archive.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Unpacked refused(String problem) {
        return new Unpacked(List.of(problem), 0, 0);
    }

    /** The two kinds of archive, told by the file's name and checked by its first bytes. */
    private enum Packing {
        ZIP("a zip archive", ZIP_MEMBER, ZIP_END),
        TAR_GZ("a gzip'd tar archive", GZIP);

        final String what;
        private final List<byte[]> signatures;

        Packing(String what, byte[]... signatures) {
            this.what = what;
            this.signatures = List.of(signatures);
        }

        static Packing of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".zip")) {
                return ZIP;
            }
            return name.endsWith(".tar.gz") || name.endsWith(".tgz") ? TAR_GZ : null;
        }

        boolean signs(byte[] head) {
            return signatures.stream().anyMatch(s -> head.length >= s.length && Arrays.equals(head, 0, s.length, s, 0, s.length));
        }

        /** The stream the archive reader reads, and how much of it one member's headers may take. */
        HeaderLimit headers(InputStream file, String archive) throws IOException {
            return switch (this) {
                case ZIP -> new HeaderLimit(file, Long.MAX_VALUE, null);
                case TAR_GZ -> new HeaderLimit(GzipCompressorInputStream.builder().setInputStream(file)
                        .setDecompressConcatenated(true).get(), HEADER_BYTES,
                        archive + ": has a member whose name and headers take more than " + size(HEADER_BYTES));
            };
        }

        ArchiveInputStream<?> members(InputStream headers) {
            return switch (this) {
                case ZIP -> new ZipArchiveInputStream(headers);
                case TAR_GZ -> new TarArchiveInputStream(headers, UTF_8.name());
            };
        }
    }

    /** One pass over an archive's members: what it found, and what it wrote into the target. */
    private static final class Unpacking {
        final String archive;
        final Path target;
        final ArchiveLimits limits;
        final List<String> problems = new ArrayList<>();
        /** What the members so far made of each path (a file, a folder), by its lower-case spelling. */
        final Map<String, Claim> claims = new HashMap<>();
        final byte[] buffer = new byte[1 << 16];
        int members;
        int files;
        long bytes;
        /** The member being read, for a problem that stops the reading in it. */
        String current;
        /** The first part of the first member's path, and whether every member so far lies inside it as a folder. */
        String top;
        boolean oneTopFolder = true;

        Unpacking(String archive, Path target, ArchiveLimits limits) {
            this.archive = archive;
            this.target = target;
            this.limits = limits;
        }

        void read(Path file, Packing format) {
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                 HeaderLimit headers = format.headers(raw, archive);
                 ArchiveInputStream<?> stream = format.members(headers)) {
                for (ArchiveEntry entry = headers.next(stream); entry != null; entry = headers.next(stream)) {
                    current = entry.getName();
                    take(stream, entry);
                }
            } catch (Stop stop) {
                problems.add(stop.getMessage());
            } catch (IOException | RuntimeException e) {
                // The library's words for a damaged archive; a runtime exception is its bug on odd input.
                problems.add(damaged(e, format));
            }
        }

        /** Checks one member, writes it while no problem is known, and reads it to its end either way. */
        private void take(ArchiveInputStream<?> stream, ArchiveEntry entry) throws IOException {
            if (++members > limits.maxFiles()) {
                throw new Stop(archive + ": has more than " + String.format(Locale.ROOT, "%,d", limits.maxFiles())
                        + " files and folders");
            }
            String name = entry.getName();
            String label = name.isEmpty() ? "member " + members : shown(name);
            String unreadable = unreadable(stream, entry);
            if (unreadable != null) {
                throw new Stop(label + ": " + unreadable);
            }
            String path = normalised(name);
            boolean folder = entry.isDirectory();
            String problem = nameProblem(name, path, folder);
            if (problem == null) {
                problem = kindProblem(entry);
            }
            // An empty path here is "./", the entry folder itself (GNU tar of "."): there is nothing to make.
            if (problem == null && !path.isEmpty()) {
                problem = claim(path, folder);
            }
            if (problem != null) {
                problems.add(label + ": " + problem);
            }
            Path file = null;
            if (problems.isEmpty() && !path.isEmpty()) {
                noteTop(path, folder);
                Path resolved = resolve(path, label);
                createFolders(folder ? resolved : resolved.getParent(), label);
                file = folder ? null : resolved;
            }
            copy(stream, file, label);
            if (file != null) {
                files++;
            }
        }

        /**
         * Claims {@code path} and the folders it implies, or says why it clashes with what earlier
         * members made: the same path twice, a file where a folder is, or paths that differ only in
         * case (one file on a case-insensitive disk, as on a Mac or Windows).
         */
        private String claim(String path, boolean folder) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String parent = path.substring(0, slash);
                Claim earlier = claims.putIfAbsent(key(parent), new Claim(parent, true, false));
                if (earlier != null && !earlier.folder()) {
                    return "lies inside " + shown(earlier.path()) + ", which is a file";
                }
                if (earlier != null && !earlier.path().equals(parent)) {
                    return "its folder " + shown(parent) + " differs only in case from " + shown(earlier.path());
                }
            }
            Claim earlier = claims.get(key(path));
            boolean implied = earlier != null && earlier.folder() && folder && !earlier.named() && earlier.path().equals(path);
            if (earlier == null || implied) {
                claims.put(key(path), new Claim(path, folder, true));
                return null;
            }
            if (earlier.folder() != folder) {
                return "is both a file and a folder";
            }
            return earlier.path().equals(path) ? "appears twice" : "differs only in case from " + shown(earlier.path());
        }

        private void noteTop(String path, boolean folder) {
            int slash = path.indexOf('/');
            String first = slash < 0 ? path : path.substring(0, slash);
            if (top == null) {
                top = first;
            }
            oneTopFolder &= first.equals(top) && (folder || slash > 0);
        }

        /** Where {@code path} goes, checked again where it is made: nothing is ever written outside the target. */
        private Path resolve(String path, String label) throws Stop {
            Path resolved = target.resolve(path).normalize();
            if (!resolved.startsWith(target) || resolved.equals(target)) {
                throw new Stop(label + ": leaves the entry folder");
            }
            return resolved;
        }

        /** Reads the member to its end into {@code file} (null: only counts it), stopping as soon as a limit is passed. */
        private void copy(InputStream member, Path file, String label) throws IOException {
            long size = 0;
            try (OutputStream out = open(file, label)) {
                for (int n = member.read(buffer); n != -1; n = member.read(buffer)) {
                    size += n;
                    bytes += n;
                    if (size > limits.maxFileBytes()) {
                        throw new Stop(label + ": is larger than the limit of " + size(limits.maxFileBytes()) + " per file");
                    }
                    if (bytes > limits.maxUnpackedBytes()) {
                        throw new Stop(label + ": takes the archive over the limit of "
                                + size(limits.maxUnpackedBytes()) + " unpacked");
                    }
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw unwritable(label, e);
                    }
                }
            }
        }

        /** The archive's problem when it cannot be read on: not this format at all, cut short, or damaged. */
        private String damaged(Exception e, Packing format) {
            if (members == 0 && !(e instanceof EOFException)) {
                return archive + ": is not " + format.what;
            }
            String reason = e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("")
                    : e instanceof EOFException ? "it ends too early" : e.getClass().getSimpleName();
            return archive + ": is truncated or corrupt" + (current == null ? "" : " at " + shown(current)) + ": " + reason;
        }
    }

    /** What a member made of a path: a file or a folder, named by a member or implied by one inside it. */
    private record Claim(String path, boolean folder, boolean named) {}

    /**
     * The archive's bytes as its reader reads them, of which one member's headers may take at most
     * {@code perMember} (with the padding of the member before): beyond, reading stops with {@code problem}.
     */
    private static final class HeaderLimit extends FilterInputStream {
        private final long perMember;
        private final String problem;
        private long left = Long.MAX_VALUE;

        HeaderLimit(InputStream in, long perMember, String problem) {
            super(in);
            this.perMember = perMember;
            this.problem = problem;
        }

        ArchiveEntry next(ArchiveInputStream<?> members) throws IOException {
            left = perMember;
            try {
                return members.getNextEntry();
            } finally {
                left = Long.MAX_VALUE;
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws Stop {
            if (n > 0 && (left -= n) < 0) {
                throw new Stop(problem);
            }
        }
    }

    /** A problem that stops the reading: a limit passed, a member that cannot be read or written. */
    private static final class Stop extends IOException {
        Stop(String problem) {
            super(problem);
        }
    }

    /** "a/./b/../c\d" as "a/c/d" (a backslash is a Windows tool's separator), or null when a ".." leaves the folder. */
    static String normalised(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.replace('\\', '/').split("/")) {
            if (part.equals("..") && parts.pollLast() == null) {
                return null;
            }
            if (!part.equals("..") && !part.isEmpty() && !part.equals(".")) {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    /**
     * Why a member's name is no path inside the entry folder, or null; {@code path} is its
     * {@link #normalised} form, empty for the entry folder itself ("./"), which only a folder may name.
     */
    private static String nameProblem(String name, String path, boolean folder) {
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "has a control character in its name";
        }
        if (name.startsWith("/") || name.startsWith("\\")) {
            return "is an absolute path";
        }
        if (DRIVE_LETTER.matcher(name).lookingAt()) {
            return "starts with a drive letter";
        }
        if (path == null) {
            return "leaves the entry folder";
        }
        if (path.isEmpty() && !folder) {
            return "has an empty name";
        }
        if (Arrays.stream(path.split("/")).anyMatch(part -> part.getBytes(UTF_8).length > NAME_PART_BYTES)) {
            return "has a name part longer than " + NAME_PART_BYTES + " bytes";
        }
        return null;
    }

    /** Why a tar member is neither a regular file nor a folder, or null. A streamed zip member is always one or the other. */
    private static String kindProblem(ArchiveEntry entry) {
        if (!(entry instanceof TarArchiveEntry tar)) {
            return null;
        }
        if (tar.isSymbolicLink()) {
            return "is a symbolic link";
        }
        if (tar.isLink()) {
            return "is a hard link";
        }
        if (tar.isCharacterDevice() || tar.isBlockDevice()) {
            return "is a device";
        }
        if (tar.isFIFO()) {
            return "is a FIFO (named pipe)";
        }
        if (tar.isDirectory() || REGULAR_TAR_TYPES.contains(tar.getLinkFlag())) {
            return null;
        }
        return "is not a regular file or folder (tar type '" + (char) tar.getLinkFlag() + "')";
    }

    /** Why a zip member's data cannot be read here, or null; a tar member's always can. */
    private static String unreadable(ArchiveInputStream<?> stream, ArchiveEntry entry) {
        if (!(entry instanceof ZipArchiveEntry zip)) {
            return null;
        }
        if (!ZIP_METHODS.contains(zip.getMethod())) {
            ZipMethod method = ZipMethod.getMethodByCode(zip.getMethod());
            return "is compressed with " + (method == null ? "method " + zip.getMethod() : method)
                    + ", which is not read here (use deflate)";
        }
        if (zip.getGeneralPurposeBit().usesEncryption()) {
            return "is encrypted";
        }
        return stream.canReadEntryData(zip) ? null
                : "is stored uncompressed with its size after the data, which a stream cannot read (use deflate)";
    }

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    /** A member's name fit for a one-line message: control characters as '?', at most 200 characters. */
    private static String shown(String name) {
        String printable = name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }

    /** Bytes as a person reads them: whole GiB or MiB where they are, else the count. */
    static String size(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    private static Stop unwritable(String label, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return new Stop(label + ": cannot be written: " + reason);
    }

    private static OutputStream open(Path file, String label) throws Stop {
        if (file == null) {
            return OutputStream.nullOutputStream();
        }
        try {
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw unwritable(label, e);
        }
    }

    private static void createFolders(Path folder, String label) throws Stop {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw unwritable(label, e);
        }
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(4);
        }
    }

    /** Whether the zip ends with its end of central directory record, as a zip that is not cut short does. */
    private static boolean endsWithCentralDirectory(Path zip) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(zip.toFile(), "r")) {
            byte[] tail = new byte[(int) Math.min(file.length(), ZIP_TAIL_BYTES)];
            file.seek(file.length() - tail.length);
            file.readFully(tail);
            for (int at = tail.length - ZIP_END_BYTES; at >= 0; at--) {
                if (Arrays.equals(tail, at, at + ZIP_END.length, ZIP_END, 0, ZIP_END.length)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The target folder, made if missing; it must be empty, as a refusal empties it whole. */
    private static Path emptyFolder(Path target) {
        Path folder = target.toAbsolutePath().normalize();
        boolean empty;
        try {
            Files.createDirectories(folder);
            try (Stream<Path> content = Files.list(folder)) {
                empty = content.findAny().isEmpty();
            }
        } catch (IOException e) {
            throw new BrainfmException(folder.toString(), "cannot be made: " + e.getMessage(), e);
        }
        if (!empty) {
            throw new BrainfmException(folder.toString(), "is not empty; an archive is unpacked into an empty folder");
        }
        return folder;
    }

    /** Deletes everything inside {@code folder}, which stays. */
    private static void empty(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.filter(p -> !p.equals(folder)).sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new BrainfmException(folder.toString(), "cannot be emptied: " + e.getMessage(), e);
        }
    }

    /** Moves the content of the one top-level folder {@code top} up into {@code folder}, which then holds nothing else. */
    private static void liftContent(Path folder, String top) {
        try {
            List<String> names;
            try (Stream<Path> content = Files.list(folder.resolve(top))) {
                names = content.map(p -> p.getFileName().toString()).toList();
            }
            // The top folder may hold a member of its own name: it steps aside first, under a name it does not hold.
            String aside = ".unpacking";
            while (aside.equals(top) || names.contains(aside)) {
                aside += "_";
            }
            Path moved = Files.move(folder.resolve(top), folder.resolve(aside));
            for (String name : names) {
                Files.move(moved.resolve(name), folder.resolve(name));
            }
            Files.delete(moved);
        } catch (IOException e) {
            empty(folder);
            throw new BrainfmException(folder.toString(), "cannot move the content of " + top + " up: " + e.getMessage(), e);
        }
    }
}
