package org.brainfm.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.brainfm.BrainfmException;
import org.brainfm.submission.Archives.Unpacked;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives built here, good and hostile. Every refusal is pinned by its exact words and leaves
 * the target empty; the limits are small so that passing them takes milliseconds.
 */
class ArchivesTest {
    /** 1 MiB packed; 64 KiB, 20 members and 16 KiB a file unpacked. */
    static final ArchiveLimits SMALL = new ArchiveLimits(1 << 20, 64 << 10, 20, 16 << 10);
    /** An entry's members, names and contents in turn: a name ending in "/" is a folder. */
    static final String[] ENTRY = {"manifest.yaml", "team: Example Lab\n", "meningioma/", "",
        "meningioma/model.onnx", "not really onnx", "notes/", ""};
    /** What ENTRY unpacks to, folders with a "/" and no content. */
    static final Map<String, String> ENTRY_TREE = Map.of("manifest.yaml", "team: Example Lab\n", "meningioma/", "",
            "meningioma/model.onnx", "not really onnx", "notes/", "");

    @TempDir
    Path tmp;
    Path target;

    @BeforeEach
    void setUp() {
        target = tmp.resolve("unpacked");
    }

    @Test
    void aZipAndATarGzUnpackToTheSameTreeWithOrWithoutTheirTopFolder() throws IOException {
        String[] inFolder = inFolder("my-entry/", ENTRY);
        for (Path archive : List.of(zip("flat.zip", ENTRY), tarGz("flat.tar.gz", ENTRY), zip("folder.zip", inFolder),
                tarGz("folder.tgz", inFolder))) {
            Path out = tmp.resolve("out-" + archive.getFileName());
            Unpacked unpacked = Archives.unpack(archive, out, SMALL);
            assertThat(unpacked.problems()).as(archive.getFileName().toString()).isEmpty();
            assertThat(unpacked.ok()).isTrue();
            assertThat(unpacked.files()).isEqualTo(2);
            assertThat(unpacked.bytes()).isEqualTo("team: Example Lab\n".length() + "not really onnx".length());
            assertThat(tree(out)).as(archive.getFileName().toString()).isEqualTo(ENTRY_TREE);
        }
    }

    @Test
    void aTopFolderIsLiftedEvenWhenItHoldsAFolderOfItsOwnName() throws IOException {
        Archives.unpack(zip("e.zip", "e/e/x", "1", "e/y", "2"), target, SMALL);
        assertThat(tree(target)).isEqualTo(Map.of("e/", "", "e/x", "1", "y", "2"));
    }

    @Test
    void anArchiveWithoutOneTopFolderIsUnpackedAsItIs() throws IOException {
        Archives.unpack(zip("two.zip", "a/x", "1", "b/y", "2"), target, SMALL);
        assertThat(tree(target)).isEqualTo(Map.of("a/", "", "a/x", "1", "b/", "", "b/y", "2"));
        Path single = tmp.resolve("single");
        Archives.unpack(zip("one-file.zip", "a", "1"), single, SMALL);
        assertThat(tree(single)).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void aTarOfDotUnpacksItsContent() throws IOException {
        // tar czf entry.tgz -C my-entry . names the folder itself "./" first
        Unpacked unpacked = Archives.unpack(tarGz("dot.tgz", inFolder("./", ENTRY)), target, SMALL);
        assertThat(unpacked.problems()).isEmpty();
        assertThat(tree(target)).isEqualTo(ENTRY_TREE);
    }

    @Test
    void membersAreWrittenWithNormalPermissionsWhateverTheirModeBits() throws IOException {
        Path archive = tarGzOf("modes.tgz", tar -> {
            TarArchiveEntry setuid = new TarArchiveEntry("run.sh");
            setuid.setMode(04777);
            put(tar, setuid, "#!/bin/sh\n");
            TarArchiveEntry locked = new TarArchiveEntry("locked.txt");
            locked.setMode(0);
            put(tar, locked, "x");
        });
        assertThat(Archives.unpack(archive, target, SMALL).ok()).isTrue();
        var normal = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("fresh")));
        assertThat(Files.getPosixFilePermissions(target.resolve("run.sh"))).isEqualTo(normal);
        assertThat(Files.getPosixFilePermissions(target.resolve("locked.txt"))).isEqualTo(normal);
    }

    @Test
    void everyMemberThatLeavesTheFolderIsReported() throws IOException {
        // A tar keeps a backslash as written; a zip reader makes it a slash.
        Path archive = tarGz("e.tgz", "../evil.txt", "x", "a/../ok.txt", "fine", "a/../../x", "x", "b\\..\\..\\y", "x");
        assertRefused(Archives.unpack(archive, target, SMALL), "../evil.txt: leaves the entry folder",
                "a/../../x: leaves the entry folder", "b\\..\\..\\y: leaves the entry folder");
    }

    @Test
    void absolutePathsAndDriveLettersAreRefused() throws IOException {
        Path archive = tarGz("e.tar.gz", "/etc/x", "x", "C:\\x", "x", "\\\\server\\share\\x", "x");
        assertRefused(Archives.unpack(archive, target, SMALL), "/etc/x: is an absolute path", "C:\\x: starts with a drive letter",
                "\\\\server\\share\\x: is an absolute path");
        assertRefused(Archives.unpack(zip("e.zip", "C:/x", "x"), target, SMALL), "C:/x: starts with a drive letter");
    }

    @Test
    void emptyUnprintableAndOverlongNamesAreRefused() throws IOException {
        String longPart = "n".repeat(256);
        Path archive = zip("e.zip", "", "x", "a\nb", "x", longPart, "x");
        assertRefused(Archives.unpack(archive, target, SMALL), "member 1: has an empty name",
                "a?b: has a control character in its name",
                longPart.substring(0, 200) + "...: has a name part longer than 255 bytes");
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        Path archive = tarGzWith(link("passwd", TarConstants.LF_SYMLINK, "/etc/passwd"));
        assertRefused(Archives.unpack(archive, target, SMALL), "passwd: is a symbolic link");
    }

    @Test
    void aHardLinkIsRefused() throws IOException {
        Path archive = tarGzWith(link("again.yaml", TarConstants.LF_LINK, "manifest.yaml"));
        assertRefused(Archives.unpack(archive, target, SMALL), "again.yaml: is a hard link");
    }

    @Test
    void devicesAndFifosAreRefused() throws IOException {
        Path archive = tarGzWith(new TarArchiveEntry("null", TarConstants.LF_CHR),
                new TarArchiveEntry("disk", TarConstants.LF_BLK), new TarArchiveEntry("pipe", TarConstants.LF_FIFO));
        assertRefused(Archives.unpack(archive, target, SMALL), "null: is a device", "disk: is a device",
                "pipe: is a FIFO (named pipe)");
    }

    @Test
    void readingStopsAtTheFirstMemberPastTheLimit() throws IOException {
        Path archive = zip("many.zip", "a", "1", "b", "2", "c", "3", "d", random(8000));
        // Cut inside d's data: a reader that went on past d's header would find the zip truncated.
        Path cut = Files.write(tmp.resolve("cut.zip"), Arrays.copyOf(Files.readAllBytes(archive), (int) Files.size(archive) - 2000));
        assertRefused(Archives.unpack(cut, target, new ArchiveLimits(1 << 20, 1 << 20, 3, 1 << 20)),
                "cut.zip: has more than 3 files and folders");
    }

    @Test
    void aMemberOverThePerFileLimitIsRefused() throws IOException {
        assertRefused(Archives.unpack(tarGz("e.tgz", "small", "x", "big.bin", random(20_000)), target, SMALL),
                "big.bin: is larger than the limit of 16,384 bytes per file");
    }

    @Test
    void aZipBombIsCountedByWhatItUnpacksNotByWhatItDeclares() throws IOException {
        Path archive = tmp.resolve("bomb.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(archive.toFile())) {
            zip.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
            zip.write(new byte[1 << 20]);
            zip.closeArchiveEntry();
        }
        patchFirstLocalHeader(archive, 22, 4, 1000);
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(Files.newInputStream(archive))) {
            assertThat(in.getNextEntry().getSize()).as("the size the header declares").isEqualTo(1000);
        }
        assertThat(Files.size(archive)).isLessThan(SMALL.maxFileBytes());
        assertRefused(Archives.unpack(archive, target, SMALL), "zeros.bin: is larger than the limit of 16,384 bytes per file");
    }

    @Test
    void membersOverTheUnpackedLimitTogetherAreRefused() throws IOException {
        String zeros = "\0".repeat(15_000);
        Path archive = zip("e.zip", "m1.bin", zeros, "m2.bin", zeros, "m3.bin", zeros, "m4.bin", zeros, "m5.bin", zeros);
        assertRefused(Archives.unpack(archive, target, SMALL), "m5.bin: takes the archive over the limit of 65,536 bytes unpacked");
    }

    @Test
    void aPathTwiceOrTwiceButForCaseIsRefused() throws IOException {
        Path archive = zip("e.zip", "a.txt", "1", "a.txt", "2", "A.txt", "3", "d/x", "4", "D/y", "5");
        assertRefused(Archives.unpack(archive, target, SMALL), "a.txt: appears twice", "A.txt: differs only in case from a.txt",
                "D/y: its folder D differs only in case from d");
    }

    @Test
    void aFileAndAFolderOfTheSamePathAreRefused() throws IOException {
        Path archive = tarGz("e.tgz", "x", "1", "x/y", "2", "d/", "", "d", "3", "e/f", "4", "e", "5");
        assertRefused(Archives.unpack(archive, target, SMALL), "x/y: lies inside x, which is a file",
                "d: is both a file and a folder", "e: is both a file and a folder");
    }

    @Test
    void aFileThatIsNoArchiveIsRefused() throws IOException {
        Path text = Files.writeString(tmp.resolve("text"), "hello, not an archive\n".repeat(50));
        assertRefused(Archives.unpack(Files.copy(text, tmp.resolve("e.zip")), target, SMALL), "e.zip: is not a zip archive");
        assertRefused(Archives.unpack(Files.copy(text, tmp.resolve("e.tar.gz")), target, SMALL),
                "e.tar.gz: is not a gzip'd tar archive");
        Path gzipped = tmp.resolve("gzipped.tgz");
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(text, out);
        }
        assertRefused(Archives.unpack(gzipped, target, SMALL), "gzipped.tgz: is not a gzip'd tar archive");
        assertRefused(Archives.unpack(Files.copy(text, tmp.resolve("e.rar")), target, SMALL),
                "e.rar: is not a .zip, .tar.gz or .tgz file");
        assertThat(Archives.isArchive(Path.of("E.TGZ"))).isTrue();
        assertThat(Archives.isArchive(Path.of("e.tar"))).isFalse();
    }

    @Test
    void anEmptyArchiveIsRefused() throws IOException {
        assertRefused(Archives.unpack(zip("e.zip"), target, SMALL), "e.zip: is empty");
        assertRefused(Archives.unpack(tarGz("e.tgz"), target, SMALL), "e.tgz: is empty");
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        Path tgz = tarGz("whole.tgz", "manifest.yaml", "x", "data.bin", random(12_000));
        assertRefused(Archives.unpack(cut(tgz, "e.tgz", Files.size(tgz) * 6 / 10), target, SMALL),
                "e.tgz: is truncated or corrupt at data.bin: it ends too early");
        Path zip = zip("whole.zip", "manifest.yaml", "x", "data.bin", random(12_000));
        assertRefused(Archives.unpack(cut(zip, "e.zip", Files.size(zip) * 6 / 10), target, SMALL),
                "e.zip: is truncated or corrupt at data.bin: Truncated ZIP file");
        assertRefused(Archives.unpack(cut(zip, "directory.zip", centralDirectoryOffset(zip)), target, SMALL),
                "directory.zip: is truncated or corrupt: it ends before its central directory");
    }

    @Test
    void anArchiveOverThePackedLimitIsRefusedUnread() throws IOException {
        Path archive = zip("e.zip", ENTRY);
        assertRefused(Archives.unpack(archive, target, new ArchiveLimits(100, 1 << 20, 10, 1 << 20)),
                "e.zip: is larger than the limit of 100 bytes for an archive");
    }

    @Test
    void aTarMemberWithGigabytesOfNameIsStoppedAtTheHeaderLimit() throws IOException {
        // A GNU long name written by hand: commons-compress takes minutes to write a megabyte of name itself.
        Path archive = tarGzOf("e.tgz", tar -> {
            put(tar, new TarArchiveEntry(TarConstants.GNU_LONGLINK, TarConstants.LF_GNUTYPE_LONGNAME),
                    "a".repeat(Archives.HEADER_BYTES + 1) + "\0");
            put(tar, new TarArchiveEntry("a".repeat(100)), "x");
        });
        assertRefused(Archives.unpack(archive, target, SMALL), "e.tgz: has a member whose name and headers take more than 1 MiB");
    }

    @Test
    void zipMembersThatAStreamCannotReadAreRefused() throws IOException {
        Path xz = zipStored("xz.zip");
        patchFirstLocalHeader(xz, 8, 2, ZipMethod.XZ.getCode());
        assertRefused(Archives.unpack(xz, target, SMALL), "a.txt: is compressed with XZ, which is not read here (use deflate)");
        Path encrypted = zipStored("encrypted.zip");
        patchFirstLocalHeader(encrypted, 6, 2, 1);
        assertRefused(Archives.unpack(encrypted, target, SMALL), "a.txt: is encrypted");
        Path described = zipStored("described.zip");
        patchFirstLocalHeader(described, 6, 2, 1 << 3);
        assertRefused(Archives.unpack(described, target, SMALL),
                "a.txt: is stored uncompressed with its size after the data, which a stream cannot read (use deflate)");
    }

    @Test
    void theTargetMustBeEmpty() throws IOException {
        Files.createDirectories(target);
        Files.writeString(target.resolve("left-over"), "x");
        assertThatThrownBy(() -> Archives.unpack(zip("e.zip", ENTRY), target, SMALL)).isInstanceOf(BrainfmException.class)
                .hasMessageContaining("is not empty");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(Archives.size(ArchiveLimits.defaults().maxUnpackedBytes())).isEqualTo("4 GiB");
        assertThat(Archives.size(ArchiveLimits.defaults().maxFileBytes())).isEqualTo("512 MiB");
        assertThat(Archives.size(1000)).isEqualTo("1,000 bytes");
    }

    private void assertRefused(Unpacked unpacked, String... problems) throws IOException {
        assertThat(unpacked.problems()).containsExactly(problems);
        assertThat(unpacked.ok()).isFalse();
        assertThat(tree(target)).as("what the refused archive left").isEmpty();
    }

    /** The files and folders under {@code root} (folders with a "/"), with their contents. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !p.equals(root)).toList()) {
                String path = root.relativize(p).toString();
                tree.put(Files.isDirectory(p) ? path + "/" : path, Files.isDirectory(p) ? "" : Files.readString(p));
            }
        }
        return tree;
    }

    private static String[] inFolder(String folder, String... namesAndContents) {
        List<String> members = new ArrayList<>(List.of(folder, ""));
        for (int i = 0; i < namesAndContents.length; i += 2) {
            members.add(folder + namesAndContents[i]);
            members.add(namesAndContents[i + 1]);
        }
        return members.toArray(String[]::new);
    }

    /** Text that does not compress, so that cutting the archive cuts the member. */
    private static String random(int length) {
        Random random = new Random(length);
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    /** A zip of members, names and contents in turn (a name ending in "/" is a folder); names may repeat. */
    private Path zip(String file, String... namesAndContents) throws IOException {
        Path archive = tmp.resolve(file);
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(archive.toFile())) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putArchiveEntry(new ZipArchiveEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** A zip of one uncompressed member, a.txt, whose local header a test then changes. */
    private Path zipStored(String file) throws IOException {
        Path archive = tmp.resolve(file);
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(archive.toFile())) {
            ZipArchiveEntry entry = new ZipArchiveEntry("a.txt");
            entry.setMethod(ZipMethod.STORED.getCode());
            zip.putArchiveEntry(entry);
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return archive;
    }

    /** Writes {@code value} little-endian into the first local header at {@code offset} (6 flags, 8 method, 22 size). */
    private static void patchFirstLocalHeader(Path zip, int offset, int length, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        byte[] field = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
        System.arraycopy(field, 0, bytes, offset, length);
        Files.write(zip, bytes);
    }

    /** Where the zip's central directory starts: the end record (the last 22 bytes, no comment) says so at 16. */
    private static int centralDirectoryOffset(Path zip) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        return ByteBuffer.wrap(bytes, bytes.length - 22 + 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private Path cut(Path archive, String file, long length) throws IOException {
        return Files.write(tmp.resolve(file), Arrays.copyOf(Files.readAllBytes(archive), (int) length));
    }

    interface TarBody {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path tarGzOf(String file, TarBody body) throws IOException {
        Path archive = tmp.resolve(file);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(archive)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            body.write(tar);
        }
        return archive;
    }

    /** A tar.gz of members, names and contents in turn (a name ending in "/" is a folder); names are kept as written. */
    private Path tarGz(String file, String... namesAndContents) throws IOException {
        return tarGzOf(file, tar -> {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                put(tar, new TarArchiveEntry(namesAndContents[i], true), namesAndContents[i + 1]);
            }
        });
    }

    /** A tar.gz of a manifest and members of other kinds, without data. */
    private Path tarGzWith(TarArchiveEntry... others) throws IOException {
        return tarGzOf("e.tar.gz", tar -> {
            put(tar, new TarArchiveEntry("manifest.yaml"), "team: x\n");
            for (TarArchiveEntry other : others) {
                put(tar, other, "");
            }
        });
    }

    private static TarArchiveEntry link(String name, byte type, String to) {
        TarArchiveEntry link = new TarArchiveEntry(name, type);
        link.setLinkName(to);
        return link;
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
