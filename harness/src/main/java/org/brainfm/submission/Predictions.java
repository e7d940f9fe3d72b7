package org.brainfm.submission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.metrics.DistanceGrid;
import org.brainfm.metrics.Masks;
import org.brainfm.metrics.TaskType;
import org.brainfm.plan.TaskPlan;
import org.brainfm.volume.NiftiHeader;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;

/**
 * One task's predictions in FOMO25's forms, read and checked case by case: a folder of
 * {@code <case>.txt} (a probability or an age) or {@code <case>.nii.gz} (a 0/1 mask, or a label map
 * 0..K of a task of K classes, on the case's input grid and affine), or one CSV ({@code case,probability} or {@code case,age}). The same reader
 * checks a team's predictions at submission and a model's outputs at scoring, so both meet one rule.
 */
public final class Predictions {
    /** Largest per-case text file and CSV read. */
    static final long MAX_TEXT_BYTES = 1024;
    static final long MAX_CSV_BYTES = 16L * 1024 * 1024;
    static final double MAX_AGE = 150;
    /** Problems listed one by one per kind before the rest are counted. */
    private static final int LISTED = 20;
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * What was read: a number per case (classification, regression) or a checked mask file per case
     * (segmentation; read again when scored, so that hundreds of masks are never held at once), and
     * a problem per case that has none or a bad one. Problems that are not about one case (a bad CSV
     * header, a file for no test case) are in {@code other}.
     */
    public record Read(Map<String, Double> values, Map<String, Path> masks, Map<String, CaseProblem> caseProblems,
            List<String> other) {
        /** Every problem, case problems summarised past the first few. */
        public List<String> problems() {
            List<String> all = new ArrayList<>(other);
            int n = 0;
            for (CaseProblem p : caseProblems.values()) {
                if (n++ < LISTED) {
                    all.add(p.reason());
                }
            }
            if (caseProblems.size() > LISTED) {
                all.add("... and " + (caseProblems.size() - LISTED) + " more cases with a problem");
            }
            return all;
        }
    }

    /** Why a case has no usable prediction: none was given ({@code missing}), or the one given is unusable. */
    public record CaseProblem(boolean missing, String reason) {}

    private Predictions() {}

    /** The file name of a case's prediction: its id with '/' as '_' (sub_12/ses_1 is sub_12_ses_1). */
    public static String stem(String caseId) {
        return caseId.replace('/', '_');
    }

    /**
     * Reads the predictions at {@code location} (a folder or a CSV file; {@code name} is how problems
     * name it; a folder's trailing slash, as manifests write it, is dropped) for the test cases of a
     * task of {@code type} with {@code classes} labels above 0 (1 for a mask).
     */
    public static Read read(Path location, String given, TaskType type, int classes, List<Case> test) {
        String name = given.replaceAll("/+$", "");
        Map<String, Case> byStem = new LinkedHashMap<>();
        for (Case c : test) {
            byStem.put(stem(TaskPlan.caseId(c)), c);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Path> masks = new LinkedHashMap<>();
        Map<String, CaseProblem> problems = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        if (Files.isRegularFile(location, LinkOption.NOFOLLOW_LINKS)) {
            if (type == TaskType.SEGMENTATION) {
                other.add(name + ": segmentation predictions are a folder of <case>.nii.gz masks, not one file");
            } else {
                readCsv(location, name, type, byStem, values, problems, other);
            }
        } else {
            readFolder(location, name, type, classes, byStem, values, masks, problems, other);
        }
        for (Map.Entry<String, Case> e : byStem.entrySet()) {
            String id = TaskPlan.caseId(e.getValue());
            if (!values.containsKey(id) && !masks.containsKey(id) && !problems.containsKey(id)) {
                problems.put(id, new CaseProblem(true, name + ": no prediction for test case " + id + " (expected "
                        + expected(name, e.getKey(), type, Files.isRegularFile(location, LinkOption.NOFOLLOW_LINKS)) + ")"));
            }
        }
        return new Read(values, masks, problems, other);
    }

    private static CaseProblem invalid(String reason) {
        return new CaseProblem(false, reason);
    }

    /** A checked mask file read for scoring: on the case's grid by construction. */
    public static Volume mask(Path file) {
        return NiftiReader.read(file);
    }

    private static String expected(String name, String stem, TaskType type, boolean csv) {
        return csv ? "a row" : name + "/" + stem + (type == TaskType.SEGMENTATION ? ".nii.gz" : ".txt");
    }

    private static void readFolder(Path folder, String name, TaskType type, int classes, Map<String, Case> byStem, Map<String, Double> values,
            Map<String, Path> masks, Map<String, CaseProblem> problems, List<String> other) {
        String suffix = type == TaskType.SEGMENTATION ? ".nii.gz" : ".txt";
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.sorted().limit(byStem.size() + LISTED + 1).toList();
        } catch (IOException e) {
            other.add(name + ": cannot be listed: " + e.getMessage());
            return;
        }
        int strays = 0;
        for (Path f : files) {
            String file = f.getFileName().toString();
            String stem = file.endsWith(suffix) ? file.substring(0, file.length() - suffix.length()) : null;
            Case c = stem == null ? null : byStem.get(stem);
            if (c == null || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                if (strays++ < LISTED) {
                    other.add(name + "/" + Manifests.shorten(file) + ": not the " + suffix + " prediction of a test case"
                            + " (the template lists the cases)");
                }
                continue;
            }
            String id = TaskPlan.caseId(c);
            String at = name + "/" + file;
            if (type == TaskType.SEGMENTATION) {
                String problem = checkMask(f, at, c, classes);
                if (problem == null) {
                    masks.put(id, f);
                } else {
                    problems.put(id, invalid(problem));
                }
            } else {
                String text;
                try {
                    text = EntryFiles.size(f) > MAX_TEXT_BYTES ? null : Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    text = null;
                }
                if (text == null) {
                    problems.put(id, invalid(at + ": must be one number in a text file of at most " + MAX_TEXT_BYTES + " bytes"));
                } else {
                    value(text.strip(), at, type, id, values, problems);
                }
            }
        }
        if (strays > LISTED) {
            other.add(name + ": " + (strays - LISTED) + " more files that are no test case's prediction");
        }
    }

    private static void readCsv(Path file, String name, TaskType type, Map<String, Case> byStem, Map<String, Double> values,
            Map<String, CaseProblem> problems, List<String> other) {
        if (EntryFiles.size(file) > MAX_CSV_BYTES) {
            other.add(name + ": " + EntryFiles.size(file) + " bytes, more than the " + MAX_CSV_BYTES + " allowed");
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            other.add(name + ": cannot be read as UTF-8 text: " + e.getMessage());
            return;
        }
        String column = type == TaskType.CLASSIFICATION ? "probability" : "age";
        if (lines.isEmpty() || !lines.get(0).strip().replace("\uFEFF", "").equals("case," + column)) {
            other.add(name + ": the first line must be the header case," + column);
            return;
        }
        Map<String, String> idToStem = new HashMap<>();
        byStem.forEach((stem, c) -> idToStem.put(TaskPlan.caseId(c), stem));
        int strays = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String at = name + " line " + (i + 1);
            String[] fields = line.split(",", -1);
            if (fields.length != 2) {
                other.add(at + ": must be case," + column + " (two fields), not '" + Manifests.shorten(line) + "'");
                continue;
            }
            String id = fields[0].strip();
            if (!idToStem.containsKey(id)) {
                if (strays++ < LISTED) {
                    other.add(at + ": '" + Manifests.shorten(id) + "' is not a test case (the template lists them)");
                }
                continue;
            }
            if (values.containsKey(id) || problems.containsKey(id)) {
                problems.put(id, invalid(at + ": case " + id + " is given twice"));
                values.remove(id);
                continue;
            }
            value(fields[1].strip(), at, type, id, values, problems);
        }
    }

    private static void value(String text, String at, TaskType type, String id, Map<String, Double> values,
            Map<String, CaseProblem> problems) {
        if (!NUMBER.matcher(text).matches()) {
            problems.put(id, invalid(at + ": '" + Manifests.shorten(text) + "' is not a number"));
            return;
        }
        double v = Double.parseDouble(text);
        double max = type == TaskType.CLASSIFICATION ? 1 : MAX_AGE;
        if (!(v >= 0 && v <= max)) {
            problems.put(id, invalid(at + ": " + text + " is outside [0, " + (type == TaskType.CLASSIFICATION ? "1" : "150")
                    + "], the range of " + (type == TaskType.CLASSIFICATION ? "a probability" : "an age in years")));
            return;
        }
        values.put(id, v);
    }

    /**
     * Null when {@code file} is a label map (0..classes; 0/1 for a mask) on the grid and affine of
     * the case's first input; else the problem.
     */
    private static String checkMask(Path file, String at, Case c, int classes) {
        Path reference = c.inputs().values().iterator().next();
        NiftiHeader ref;
        try {
            ref = NiftiReader.readHeader(reference);
        } catch (BrainfmException e) {
            throw new BrainfmException(reference.toString(), "the test case's input cannot be read: " + e.problem(), e);
        }
        Volume mask;
        try {
            mask = NiftiReader.readImage(file, ref.voxels()).volume();
        } catch (BrainfmException e) {
            return at + ": not a readable NIfTI mask on the input's grid (" + Manifests.shorten(e.problem()) + ")";
        }
        if (mask.nt() != 1) {
            return at + ": has " + mask.nt() + " frames; a mask is one 3D image";
        }
        try {
            DistanceGrid.requireSame(at, mask.shape(), mask.affine(), "input " + reference.getFileName(), ref.shape(), ref.affine());
        } catch (BrainfmException e) {
            return at + ": " + e.problem();
        }
        int bad = Masks.firstNonLabel(mask.data(), classes);
        if (bad >= 0) {
            float v = mask.data()[bad];
            return at + ": holds " + (Float.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%s", v))
                    + (classes == 1 ? "; a mask holds only 0 and 1" : "; a label map of " + classes + " classes holds only 0 to " + classes);
        }
        return null;
    }
}
