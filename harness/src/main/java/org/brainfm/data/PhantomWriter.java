package org.brainfm.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;

/**
 * Writes a phantom in the FOMO layout:
 * <pre>
 * DIR/phantom.json                       the settings it was made from
 * DIR/participants.tsv                   age, pathology and tissue volumes per subject
 * DIR/sub_N/label.txt                    1 with an infarct, else 0
 * DIR/sub_N/age.txt                      age in years
 * DIR/sub_N/ses_M/{t1,t2,flair,dwi}.nii.gz   int16 images
 * DIR/sub_N/ses_M/tissue.nii.gz          uint8 tissue map ({@link Tissue} codes)
 * DIR/sub_N/ses_M/seg.nii.gz             uint8 meningioma mask
 * </pre>
 * The images and label maps of a session share the site's voxel grid ({@link PhantomSite}).
 * Subjects are made in parallel; the bytes depend only on the settings. The whole directory is
 * written beside DIR and moved into place at the end, so DIR never holds half a phantom.
 */
public final class PhantomWriter {
    /** Bump when the generator's output changes, so cached synthetic datasets are made again. */
    public static final int GENERATOR_VERSION = 1;
    public static final String MANIFEST = "phantom.json";
    public static final String PARTICIPANTS = "participants.tsv";
    public static final String TISSUE_FILE = "tissue.nii.gz";
    public static final String SEG_FILE = "seg.nii.gz";
    public static final String LABEL_FILE = "label.txt";
    public static final String AGE_FILE = "age.txt";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Tissue[] VOLUME_COLUMNS = {
        Tissue.CSF, Tissue.CORTEX, Tissue.WHITE_MATTER, Tissue.DEEP_GREY, Tissue.VENTRICLES, Tissue.MENINGIOMA, Tissue.INFARCT,
    };

    /** How long the writing took: wall clock, and per subject on one thread (render + write). */
    public record Timing(int subjects, int sessions, double wallSeconds, double threadMillisPerSubject) {}

    private PhantomWriter() {}

    /**
     * Makes the phantom of {@code settings} in {@code dir}, replacing an earlier phantom there.
     * Refuses a directory that holds anything else.
     */
    public static Timing write(PhantomSettings settings, Path dir) {
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException("invalid phantom settings: " + settings.problems());
        }
        checkReplaceable(dir);
        Path name = dir.toAbsolutePath().normalize().getFileName();
        Path partial = dir.toAbsolutePath().normalize().resolveSibling("." + name + ".partial");
        long start = System.nanoTime();
        try {
            deleteTree(partial);
            Files.createDirectories(partial);
        } catch (IOException e) {
            throw new BrainfmException(dir.toString(), "cannot create the directory: " + reason(e), e);
        }
        AtomicLong threadNanos = new AtomicLong();
        String[] rows = new String[settings.subjects()];
        try {
            IntStream.range(0, settings.subjects()).parallel().forEach(i -> {
                long t0 = System.nanoTime();
                rows[i] = writeSubject(settings, i, partial);
                threadNanos.addAndGet(System.nanoTime() - t0);
            });
            StringBuilder tsv = new StringBuilder("participant_id\tage\tinfarct\tmeningioma\tsessions");
            for (Tissue t : VOLUME_COLUMNS) {
                tsv.append('\t').append(t.name().toLowerCase(Locale.ROOT)).append("_ml");
            }
            tsv.append('\n');
            for (String row : rows) {
                tsv.append(row).append('\n');
            }
            Files.writeString(partial.resolve(PARTICIPANTS), tsv, StandardCharsets.UTF_8);
            Files.writeString(partial.resolve(MANIFEST), manifest(settings), StandardCharsets.UTF_8);
            deleteTree(dir);
            move(partial, dir);
        } catch (IOException | UncheckedIOException e) {
            try {
                deleteTree(partial);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new BrainfmException(dir.toString(), "cannot write the phantom: " + reason(e), e);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Timing(settings.subjects(), settings.sessions(), wall, threadNanos.get() / 1e6 / settings.subjects());
    }

    /** The manifest a phantom directory carries; equal text means equal phantoms. */
    public static String manifest(PhantomSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "brainfm phantom");
        m.put("version", GENERATOR_VERSION);
        m.put("seed", s.seed());
        m.put("subjects", s.subjects());
        m.put("sessions", s.sessions());
        m.put("size", s.size());
        m.put("spacing-mm", s.spacing());
        m.put("meningioma-share", s.meningiomaShare());
        m.put("infarct-share", s.infarctShare());
        // Only a site of its own is written: a default site's phantom keeps its manifest, and
        // datasets made before sites existed are not made again.
        if (!s.site().equals(PhantomSite.DEFAULT)) {
            Map<String, Object> site = new LinkedHashMap<>();
            site.put("noise", s.site().noise());
            site.put("bias", s.site().bias());
            Map<String, Double> gains = new LinkedHashMap<>();
            for (PhantomContrast c : PhantomContrast.values()) {
                gains.put(c.id(), s.site().gain(c));
            }
            site.put("gains", gains);
            int[] blocks = s.site().blocks(s.size());
            site.put("voxel-mm", IntStream.of(blocks).mapToDouble(b -> b * s.spacing()).toArray());
            m.put("site", site);
        }
        m.put("contrasts", PhantomContrast.ids());
        Map<String, String> tissue = new LinkedHashMap<>();
        for (Tissue t : Tissue.values()) {
            tissue.put(Integer.toString(t.code()), t.label());
        }
        m.put("tissue", tissue);
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String writeSubject(PhantomSettings s, int index, Path root) {
        Anatomy anatomy = Anatomy.of(s, index);
        Path subject = root.resolve("sub_" + (index + 1));
        StringBuilder row = new StringBuilder();
        row.append("sub_").append(index + 1)
                .append('\t').append(String.format(Locale.ROOT, "%.1f", anatomy.age()))
                .append('\t').append(anatomy.hasInfarct() ? 1 : 0)
                .append('\t').append(anatomy.hasMeningioma() ? 1 : 0)
                .append('\t').append(s.sessions());
        for (int m = 0; m < s.sessions(); m++) {
            PhantomSession session = Phantom.render(anatomy, m, s.size(), s.site());
            Path dir = subject.resolve("ses_" + (m + 1));
            for (PhantomContrast c : PhantomContrast.values()) {
                NiftiWriter.write(session.image(c), dir.resolve(c.id() + ".nii.gz"), NiftiDatatype.INT16);
            }
            NiftiWriter.write(session.tissue(), dir.resolve(TISSUE_FILE), NiftiDatatype.UINT8);
            NiftiWriter.write(session.meningiomaMask(), dir.resolve(SEG_FILE), NiftiDatatype.UINT8);
            if (m == 0) {
                for (Tissue t : VOLUME_COLUMNS) {
                    row.append('\t').append(String.format(Locale.ROOT, "%.2f", session.millilitres(t)));
                }
            }
        }
        try {
            Files.writeString(subject.resolve(LABEL_FILE), (anatomy.hasInfarct() ? "1" : "0") + "\n");
            Files.writeString(subject.resolve(AGE_FILE), String.format(Locale.ROOT, "%.1f%n", anatomy.age()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return row.toString();
    }

    /** A directory we may replace: absent, empty, or an earlier phantom. */
    private static void checkReplaceable(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new BrainfmException(dir.toString(), "exists and is not a directory");
        }
        if (Files.isRegularFile(dir.resolve(MANIFEST))) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new BrainfmException(dir.toString(), "is not empty and holds no phantom (no " + MANIFEST
                        + "); choose another directory or empty it");
            }
        } catch (IOException e) {
            throw new BrainfmException(dir.toString(), "cannot read: " + reason(e), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        }
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + f.getFile() + ")";
        }
        if (e instanceof FileSystemException f) {
            return e.getClass().getSimpleName() + " (" + f.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
