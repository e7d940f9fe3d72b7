package org.brainfm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;

/** Lists the subjects, sessions, images and label files of a dataset root in each layout. */
final class Layouts {
    private static final Pattern NNUNET_IMAGE = Pattern.compile("(.+)_(\\d{4})\\.nii(\\.gz)?");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)(\\d+)$");
    /** Sorts sub_2 before sub_10. */
    static final Comparator<String> NATURAL = Comparator.comparing((String s) -> prefix(s)).thenComparing(Layouts::number)
            .thenComparing(Comparator.naturalOrder());

    private Layouts() {}

    /**
     * FOMO layout: root/sub_N/ses_M/&lt;contrast&gt;.nii.gz; labels are the other files of the
     * session and subject folders, in root or in the parallel {@code labels} tree.
     */
    static List<Subject> fomo(Path root, Path labels, List<String> contrasts, String where) {
        List<Subject> subjects = new ArrayList<>();
        for (Path subject : children(root, "sub_", where)) {
            String sid = subject.getFileName().toString();
            List<Path> sessionDirs = children(subject, "ses_", where);
            if (sessionDirs.isEmpty()) {
                throw new BrainfmException(subject.toString(), "has no ses_* folder (FOMO layout: sub_N/ses_M/<contrast>.nii.gz)");
            }
            Map<String, Path> subjectLabels = new HashMap<>();
            if (labels != null) {
                subjectLabels.putAll(labelFiles(labels.resolve(sid), contrasts));
            }
            subjectLabels.putAll(labelFiles(subject, contrasts));
            List<Session> sessions = new ArrayList<>();
            for (Path dir : sessionDirs) {
                String id = dir.getFileName().toString();
                Map<String, Path> images = new LinkedHashMap<>();
                for (String c : contrasts) {
                    image(dir, c).ifPresent(p -> images.put(c, p));
                }
                Map<String, Path> sessionLabels = new HashMap<>(subjectLabels);
                if (labels != null) {
                    sessionLabels.putAll(labelFiles(labels.resolve(sid).resolve(id), contrasts));
                }
                sessionLabels.putAll(labelFiles(dir, contrasts));
                sessions.add(new Session(sid, id, dir, images, sessionLabels));
            }
            subjects.add(new Subject(sid, sessions));
        }
        if (subjects.isEmpty()) {
            throw new BrainfmException(where, root + " has no sub_* folders (FOMO layout: sub_N/ses_M/<contrast>.nii.gz)");
        }
        return subjects;
    }

    /**
     * nnU-Net raw layout: root/imagesTr/&lt;case&gt;_&lt;channel&gt;.nii.gz with channel i the
     * i-th declared contrast, root/labelsTr/&lt;case&gt;.nii.gz as the label seg.nii.gz.
     */
    static List<Subject> nnunet(Path root, List<String> contrasts, String where) {
        Path images = root.resolve("imagesTr");
        if (!Files.isDirectory(images)) {
            throw new BrainfmException(where, images + " does not exist (nnU-Net layout: imagesTr/<case>_0000.nii.gz)");
        }
        Map<String, Map<String, Path>> cases = new TreeMap<>(NATURAL);
        for (Path f : list(images, where)) {
            Matcher m = NNUNET_IMAGE.matcher(f.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            int channel = Integer.parseInt(m.group(2));
            if (channel >= contrasts.size()) {
                throw new BrainfmException(f.toString(), "is channel " + channel + " but the dataset declares "
                        + contrasts.size() + " contrasts (" + String.join(", ", contrasts) + ")");
            }
            cases.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(contrasts.get(channel), f);
        }
        if (cases.isEmpty()) {
            throw new BrainfmException(where, images + " has no <case>_0000.nii.gz images");
        }
        List<Subject> subjects = new ArrayList<>();
        for (Map.Entry<String, Map<String, Path>> c : cases.entrySet()) {
            Map<String, Path> labelFiles = new HashMap<>();
            image(root.resolve("labelsTr"), c.getKey()).ifPresent(p -> labelFiles.put(PhantomWriter.SEG_FILE, p));
            subjects.add(new Subject(c.getKey(), List.of(new Session(c.getKey(), "ses_1", images, c.getValue(), labelFiles))));
        }
        return subjects;
    }

    /** Named files: each listed subject has one session with the files datasets.yaml names. */
    static List<Subject> files(Path root, DatasetSpec spec, String where) {
        if (!Files.isDirectory(root)) {
            throw new BrainfmException(where, root + " does not exist");
        }
        List<Subject> subjects = new ArrayList<>();
        for (DatasetSpec.FileSubject s : spec.subjects()) {
            Map<String, Path> images = new LinkedHashMap<>();
            for (Map.Entry<String, String> f : s.files().entrySet()) {
                Path file = root.resolve(f.getValue());
                if (!Files.isRegularFile(file)) {
                    throw new BrainfmException(where, file + " (" + s.id() + ", " + f.getKey() + ") does not exist");
                }
                images.put(f.getKey(), file);
            }
            subjects.add(new Subject(s.id(), List.of(new Session(s.id(), "ses_1", root, images, Map.of()))));
        }
        return subjects;
    }

    private static Optional<Path> image(Path dir, String stem) {
        for (String ext : new String[] {".nii.gz", ".nii"}) {
            Path p = dir.resolve(stem + ext);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Regular files of {@code dir} that are not contrast images, by name; none when dir is absent. */
    private static Map<String, Path> labelFiles(Path dir, List<String> contrasts) {
        Map<String, Path> found = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        for (Path f : list(dir, dir.toString())) {
            String name = f.getFileName().toString();
            String stem = name.replaceFirst("\\.nii(\\.gz)?$", "");
            if (Files.isRegularFile(f) && !name.startsWith(".") && !(contrasts.contains(stem) && !stem.equals(name))) {
                found.put(name, f);
            }
        }
        return found;
    }

    private static List<Path> children(Path dir, String prefix, String where) {
        return list(dir, where).stream()
                .filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(prefix))
                .sorted(Comparator.comparing(p -> p.getFileName().toString(), NATURAL))
                .toList();
    }

    private static List<Path> list(Path dir, String where) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new BrainfmException(where, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String prefix(String s) {
        Matcher m = TRAILING_NUMBER.matcher(s);
        return m.matches() ? m.group(1) : s;
    }

    private static long number(String s) {
        Matcher m = TRAILING_NUMBER.matcher(s);
        if (!m.matches() || m.group(2).length() > 18) {
            return -1;
        }
        return Long.parseLong(m.group(2));
    }
}
