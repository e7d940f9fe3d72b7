package org.brainfm.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.brainfm.records.EntryKind;
import org.brainfm.records.Family;
import org.brainfm.submission.ManifestSpec.TaskFiles;

/**
 * Reads an entry's {@code manifest.yaml} and checks every field, collecting every problem (a team
 * should fix them all at once, not one per submission). Problems read
 * {@code manifest.yaml: <field>: <what is wrong>}.
 */
public final class Manifests {
    public static final String FILE = "manifest.yaml";
    /** Largest manifest read: a manifest is a few dozen lines. */
    static final long MAX_BYTES = 64 * 1024;
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2_000;
    static final int MAX_MODELS = 10;
    static final List<String> NORMALISATIONS = List.of("zscore");

    private static final Set<String> TOP = Set.of("team", "entry", "contact", "family", "parameters", "gpu_hours",
            "description", "paper", "kind", "card", "preset", "weights", "tasks");
    private static final Map<EntryKind, Set<String>> TASK_FIELDS = Map.of(
            EntryKind.MODEL, Set.of("model", "inputs", "patch", "spacing", "normalisation"),
            EntryKind.PREDICTIONS, Set.of("predictions"),
            EntryKind.ENCODER, Set.of());
    /** Characters that would let a name hide or reorder text on the board (controls, bidirectional overrides). */
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Cf}\\u2028\\u2029]");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]{1,490}");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A manifest that could be read (null when it could not), and every problem found. */
    public record Read(ManifestSpec manifest, List<String> problems) {
        public boolean ok() {
            return manifest != null && problems.isEmpty();
        }
    }

    private final List<String> problems = new ArrayList<>();

    private Manifests() {}

    /** Reads {@code entry/manifest.yaml}. */
    public static Read read(Path entry) {
        Path file = entry.resolve(FILE);
        Manifests m = new Manifests();
        try {
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return new Read(null, List.of(FILE + ": missing; every entry needs one (submissions/README.md)"));
            }
            if (Files.size(file) > MAX_BYTES) {
                return new Read(null, List.of(FILE + ": " + Files.size(file) + " bytes, more than the " + MAX_BYTES + " allowed"));
            }
            JsonNode root = YAML.readTree(Files.readString(file));
            if (root == null || !root.isObject()) {
                return new Read(null, List.of(FILE + ": not a mapping of fields (see submissions/README.md)"));
            }
            ManifestSpec spec = m.check(root);
            return new Read(spec, List.copyOf(m.problems));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            return new Read(null, List.of(FILE + ": not valid YAML" + where + ": " + parserWords(e.getOriginalMessage())));
        } catch (IOException e) {
            return new Read(null, List.of(FILE + ": cannot be read: " + e.getMessage()));
        }
    }

    private ManifestSpec check(JsonNode root) {
        unknown(root, TOP, "");
        String team = name(root, "team");
        String entry = name(root, "entry");
        String contact = text(root, "contact", 200, true);
        Family family = choice(root, "family", Family.class);
        Long parameters = count(root, "parameters", 1, 10_000_000_000_000L, true);
        Double gpuHours = number(root, "gpu_hours", 0, 1e7, false);
        String description = text(root, "description", MAX_DESCRIPTION, true);
        String paper = text(root, "paper", 500, false);
        if (paper != null && !URL.matcher(paper).matches()) {
            problem("paper", "must be an http(s) address without spaces, not '" + shorten(paper) + "'");
        }
        EntryKind kind = choice(root, "kind", EntryKind.class);
        String card = null;
        String preset = null;
        String weights = null;
        if (kind == EntryKind.ENCODER) {
            card = text(root, "card", MAX_NAME, true);
            preset = text(root, "preset", 20, true);
            weights = text(root, "weights", 500, true);
        } else {
            for (String field : List.of("card", "preset", "weights")) {
                if (root.has(field)) {
                    problem(field, "is for encoder entries only");
                }
            }
        }
        Map<String, TaskFiles> tasks = new LinkedHashMap<>();
        JsonNode t = root.get("tasks");
        if (t == null || !t.isObject() || t.isEmpty()) {
            problem("tasks", "must map at least one task name to its files");
        } else if (kind != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                tasks.put(e.getKey(), taskFiles(kind, "tasks." + e.getKey(), e.getValue()));
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new ManifestSpec(team, entry, contact, family, parameters, gpuHours, description, paper, kind, card, preset,
                weights, tasks);
    }

    private TaskFiles taskFiles(EntryKind kind, String at, JsonNode node) {
        if (node.isNull() || (node.isObject() && node.isEmpty())) {
            if (kind != EntryKind.ENCODER) {
                problem(at, "names no files");
            }
            return new TaskFiles(List.of(), List.of(), null, null, null);
        }
        if (!node.isObject()) {
            problem(at, "must be a mapping of fields");
            return null;
        }
        unknown(node, TASK_FIELDS.get(kind), at + ".");
        return switch (kind) {
            case MODEL -> {
                List<String> models = strings(node, at + ".model", "model", MAX_MODELS);
                List<String> inputs = strings(node, at + ".inputs", "inputs", 16);
                int[] patch = patch(node.get("patch"), at + ".patch");
                double[] spacing = spacing(node.get("spacing"), at + ".spacing");
                JsonNode n = node.get("normalisation");
                if (n != null && !(n.isTextual() && NORMALISATIONS.contains(n.asText()))) {
                    problem(at + ".normalisation", "must be one of " + NORMALISATIONS + ", not " + shorten(n.toString()));
                }
                yield new TaskFiles(models, inputs, patch, spacing, null);
            }
            case PREDICTIONS -> new TaskFiles(List.of(), List.of(), null, null, text(node, "predictions", 500, true, at + "."));
            case ENCODER -> new TaskFiles(List.of(), List.of(), null, null, null);
        };
    }

    private List<String> strings(JsonNode node, String at, String field, int max) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null) {
            problem(at, "is missing");
        } else if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray() && v.size() >= 1 && v.size() <= max) {
            for (JsonNode s : v) {
                if (!s.isTextual() || s.asText().isBlank()) {
                    problem(at, "must list names, not " + shorten(s.toString()));
                    return List.of();
                }
                out.add(s.asText());
            }
        } else {
            problem(at, "must be a name or a list of 1 to " + max + " names");
        }
        if (out.stream().distinct().count() != out.size()) {
            problem(at, "names something twice: " + out);
        }
        return out;
    }

    private int[] patch(JsonNode v, String at) {
        if (v == null || !v.isArray() || v.size() != 3) {
            problem(at, "must be three voxel counts [x, y, z]");
            return null;
        }
        int[] p = new int[3];
        for (int a = 0; a < 3; a++) {
            if (!v.get(a).canConvertToInt() || !v.get(a).isIntegralNumber() || v.get(a).asInt() < 8 || v.get(a).asInt() > 512) {
                problem(at, "must be three whole numbers from 8 to 512, not " + shorten(v.toString()));
                return null;
            }
            p[a] = v.get(a).asInt();
        }
        return p;
    }

    private double[] spacing(JsonNode v, String at) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() != 3) {
            problem(at, "must be three sizes in mm [x, y, z], or left out");
            return null;
        }
        double[] s = new double[3];
        for (int a = 0; a < 3; a++) {
            if (!v.get(a).isNumber() || !(v.get(a).asDouble() > 0.1 && v.get(a).asDouble() <= 10)) {
                problem(at, "must be three sizes between 0.1 and 10 mm, not " + shorten(v.toString()));
                return null;
            }
            s[a] = v.get(a).asDouble();
        }
        return s;
    }

    private void unknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problem(prefix + f, "is not a field here (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private String name(JsonNode root, String field) {
        String v = text(root, field, MAX_NAME, true);
        if (v != null && UNSAFE.matcher(v).find()) {
            problem(field, "holds control or text-direction characters; use plain text");
            return null;
        }
        return v;
    }

    private String text(JsonNode node, String field, int max, boolean required) {
        return text(node, field, max, required, "");
    }

    private String text(JsonNode node, String field, int max, boolean required, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problem(prefix + field, "is missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problem(prefix + field, "must be text, not " + shorten(v.toString()));
            return null;
        }
        String s = v.asText().strip();
        if (s.length() > max) {
            problem(prefix + field, "is " + s.length() + " characters long, more than the " + max + " allowed");
            return null;
        }
        return s;
    }

    private <E extends Enum<E>> E choice(JsonNode root, String field, Class<E> type) {
        String v = text(root, field, 40, true);
        if (v == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        problem(field, "must be one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList()) + ", not '" + shorten(v) + "'");
        return null;
    }

    private Long count(JsonNode root, String field, long min, long max, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problem(field, "is missing");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            problem(field, "must be a whole number from " + min + " to " + max + ", not " + shorten(v.toString()));
            return null;
        }
        return v.asLong();
    }

    private Double number(JsonNode root, String field, double min, double max, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problem(field, "is missing");
            }
            return null;
        }
        if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            problem(field, "must be a number from " + min + " to " + max + ", not " + shorten(v.toString()));
            return null;
        }
        return v.asDouble();
    }

    private void problem(String field, String what) {
        problems.add(FILE + ": " + field + ": " + what);
    }

    /** A value as a problem quotes it: at most 60 characters, controls shown as '?'. */
    static String shorten(String value) {
        String s = UNSAFE.matcher(value).replaceAll("?");
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /**
     * The YAML parser's message in one line: its statements ("while parsing a flow sequence",
     * "expected ',' or ']', but got <stream end>") without the indented context lines that
     * repeat the file and point at it with a caret (the line number is given already).
     */
    static String parserWords(String message) {
        return message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).collect(Collectors.joining("; "));
    }
}
