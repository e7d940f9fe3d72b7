package org.brainfm.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.brainfm.BrainfmException;

/**
 * Reads datasets.yaml into records and checks it. Every mistake becomes a one-line
 * {@link BrainfmException} whose {@code what} is {@code file:line: field.path}: Jackson reports
 * syntax and type errors; the checks here report the rest, with lines from one streaming pass
 * over the file that remembers where each field starts.
 */
final class DatasetsYaml {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern CONTRAST = Pattern.compile("[a-z0-9][a-z0-9_]*");
    private static final YAMLMapper MAPPER = mapper();

    /** The file as it is written: the three top-level lists. */
    record Raw(List<DatasetSpec> datasets, List<TaskSpec> tasks, List<String> pretraining) {}

    private final Path file;
    private final Map<String, Integer> lines;
    /** Scalars as written, by path (strings quoted), to quote a value of the wrong type. */
    private final Map<String, String> scalars = new HashMap<>();

    private DatasetsYaml(Path file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    static Datasets load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BrainfmException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        Map<String, Integer> lines = new HashMap<>();
        DatasetsYaml yaml = new DatasetsYaml(file, lines);
        Raw raw;
        try {
            yaml.scan(text);
            raw = MAPPER.readValue(text, Raw.class);
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content")) {
                raw = null;
            } else {
                throw yaml.translate(e);
            }
        } catch (JsonProcessingException e) {
            throw yaml.translate(e);
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        if (raw == null) {
            throw new BrainfmException(file.toString(), "is empty; it needs a datasets list");
        }
        yaml.check(raw);
        return new Datasets(file, raw.datasets(), raw.tasks() == null ? List.of() : raw.tasks(),
                raw.pretraining() == null ? List.of() : raw.pretraining(), lines);
    }

    /** {@code file:line: path}, the {@code what} of errors about the field at {@code path}. */
    static String where(Path file, Map<String, Integer> lines, String path) {
        Integer line = lines.get(path);
        for (String p = path; line == null && !p.isEmpty(); ) {
            p = parent(p);
            line = lines.get(p);
        }
        return file + ":" + (line == null ? 1 : line) + ": " + path;
    }

    private static YAMLMapper mapper() {
        YAMLMapper m = YAMLMapper.builder(YAMLFactory.builder().build())
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "twelve" and "12" are text: neither is a count.
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Array, CoercionAction.Fail);
        return m;
    }

    /** Records the line of every field and list item, and every scalar, by path (datasets[0].generator.size). */
    private void scan(String text) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonStreamContext context = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    context = context.getParent();
                }
                String path = path(context);
                lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
                if (t.isScalarValue()) {
                    scalars.put(path, t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText());
                }
            }
        }
    }

    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    // ---- Jackson's errors, in the file's terms

    private BrainfmException translate(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? path(m.getPath())
                : e.getProcessor() instanceof JsonParser p ? path(p.getParsingContext()) : "";
        // A syntax error or a repeated key is where the parser stopped, not where the field began.
        int line = e instanceof JsonParseException ? lineOf("", e.getLocation()) : lineOf(path, e.getLocation());
        String what = file + ":" + line + (path.isEmpty() ? "" : ": " + path);
        return new BrainfmException(what, problem(e, scalars.get(path)), e);
    }

    private int lineOf(String path, JsonLocation location) {
        Integer line = path.isEmpty() ? null : lines.get(path);
        if (line != null) {
            return line;
        }
        return location == null || location.getLineNr() < 1 ? 1 : location.getLineNr();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                s.append(s.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    /** What is wrong, in the file's terms; {@code written} is the scalar at the field, if any. */
    private static String problem(JsonProcessingException e, String written) {
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return "unknown field" + (known == null || known.isEmpty() ? ""
                    : "; expected one of " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return quote(f.getValue()) + " is not one of " + enumLabels(f.getTargetType());
        }
        if (e instanceof InvalidFormatException f) {
            return quote(f.getValue()) + " is not " + expected(f.getTargetType());
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return v.getCause().getMessage();
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType()
                : e instanceof InputCoercionException c ? c.getTargetType() : null;
        if (target != null) {
            return written != null ? written + " is not " + expected(target) : "expected " + expected(target);
        }
        if (e instanceof JsonParseException && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            return "is given twice";
        }
        if (e instanceof JsonParseException) {
            // YAML syntax: snakeyaml's first line says what is wrong.
            String message = e.getOriginalMessage();
            return "invalid YAML: " + (message == null ? "" : message.lines().findFirst().orElse("").trim());
        }
        String message = e.getOriginalMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("").trim();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + enumLabels(type);
        }
        return "a mapping (field: value)";
    }

    private static String enumLabels(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> {
            if (c instanceof DatasetKind k) {
                return k.label();
            }
            return c instanceof TaskType t ? t.label() : c.toString();
        }).collect(Collectors.joining(", "));
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    // ---- what types cannot say

    private void check(Raw raw) {
        if (raw.datasets() == null || raw.datasets().isEmpty()) {
            fail("datasets", "is missing or empty; declare at least one dataset");
        }
        Map<String, DatasetSpec> byName = new HashMap<>();
        for (int i = 0; i < raw.datasets().size(); i++) {
            DatasetSpec d = raw.datasets().get(i);
            String at = "datasets[" + i + "]";
            if (d == null) {
                fail(at, "is empty");
            }
            checkDataset(d, at);
            if (byName.put(d.name(), d) != null) {
                fail(at + ".name", "\"" + d.name() + "\" is declared twice");
            }
        }
        Set<String> tasks = new HashSet<>();
        List<TaskSpec> list = raw.tasks() == null ? List.of() : raw.tasks();
        for (int i = 0; i < list.size(); i++) {
            TaskSpec t = list.get(i);
            String at = "tasks[" + i + "]";
            if (t == null) {
                fail(at, "is empty");
            }
            checkTask(t, at, byName);
            if (!tasks.add(t.name())) {
                fail(at + ".name", "\"" + t.name() + "\" is declared twice");
            }
        }
        List<String> pretraining = raw.pretraining() == null ? List.of() : raw.pretraining();
        for (int i = 0; i < pretraining.size(); i++) {
            if (!byName.containsKey(pretraining.get(i))) {
                fail("pretraining[" + i + "]", unknownDataset(pretraining.get(i), byName));
            }
        }
    }

    private void checkDataset(DatasetSpec d, String at) {
        name(d.name(), at + ".name");
        required(d.kind(), at + ".kind", "one of synthetic, fomo, nnunet, files");
        nonEmpty(d.contrasts(), at + ".contrasts");
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < d.contrasts().size(); c++) {
            String contrast = d.contrasts().get(c);
            String field = at + ".contrasts[" + c + "]";
            if (contrast == null || !CONTRAST.matcher(contrast).matches()) {
                fail(field, quote(contrast) + " is not a contrast name (lower case letters, digits, _)");
            }
            if (!seen.add(contrast)) {
                fail(field, "\"" + contrast + "\" is listed twice");
            }
        }
        String kind = d.kind().label();
        if (d.kind() == DatasetKind.SYNTHETIC) {
            required(d.generator(), at + ".generator", "phantom settings (seed, subjects, sessions, size, shares)");
            d.generator().problems().entrySet().stream().findFirst()
                    .ifPresent(p -> fail(at + ".generator." + p.getKey(), p.getValue()));
            for (int c = 0; c < d.contrasts().size(); c++) {
                if (PhantomContrast.of(d.contrasts().get(c)) == null) {
                    fail(at + ".contrasts[" + c + "]", "\"" + d.contrasts().get(c) + "\" is not a contrast the phantom makes ("
                            + String.join(", ", PhantomContrast.ids()) + ")");
                }
            }
        } else {
            required(d.path(), at + ".path", "the data root of a " + kind + " dataset");
            absent(d.generator(), at + ".generator", kind);
        }
        if (d.kind() != DatasetKind.FOMO) {
            absent(d.labels(), at + ".labels", kind);
        }
        if (d.kind() == DatasetKind.FILES) {
            nonEmpty(d.subjects(), at + ".subjects");
            Set<String> ids = new HashSet<>();
            for (int s = 0; s < d.subjects().size(); s++) {
                DatasetSpec.FileSubject subject = d.subjects().get(s);
                String sat = at + ".subjects[" + s + "]";
                if (subject == null) {
                    fail(sat, "is empty");
                }
                name(subject.id(), sat + ".id");
                if (!ids.add(subject.id())) {
                    fail(sat + ".id", "\"" + subject.id() + "\" is listed twice");
                }
                if (subject.files() == null || subject.files().isEmpty()) {
                    fail(sat + ".files", "is missing or empty; map each contrast to a file under path");
                }
                for (Map.Entry<String, String> f : subject.files().entrySet()) {
                    if (!d.contrasts().contains(f.getKey())) {
                        fail(sat + ".files." + f.getKey(), "\"" + f.getKey() + "\" is not one of the dataset's contrasts ("
                                + String.join(", ", d.contrasts()) + ")");
                    }
                    if (f.getValue() == null || f.getValue().isBlank()) {
                        fail(sat + ".files." + f.getKey(), "needs a file name");
                    }
                }
            }
        } else {
            absent(d.subjects(), at + ".subjects", kind);
        }
    }

    private void checkTask(TaskSpec t, String at, Map<String, DatasetSpec> datasets) {
        name(t.name(), at + ".name");
        required(t.type(), at + ".type", "one of segmentation, classification, regression");
        required(t.dataset(), at + ".dataset", "the name of a dataset");
        DatasetSpec d = datasets.get(t.dataset());
        if (d == null) {
            fail(at + ".dataset", unknownDataset(t.dataset(), datasets));
        }
        nonEmpty(t.inputs(), at + ".inputs");
        for (int i = 0; i < t.inputs().size(); i++) {
            String input = t.inputs().get(i);
            if (!d.contrasts().contains(input)) {
                fail(at + ".inputs[" + i + "]", quote(input) + " is not a contrast of dataset " + d.name()
                        + " (" + String.join(", ", d.contrasts()) + ")");
            }
            if (t.inputs().indexOf(input) != i) {
                fail(at + ".inputs[" + i + "]", "\"" + input + "\" is listed twice");
            }
        }
        required(t.label(), at + ".label", "the label file of each case (seg.nii.gz, label.txt, age.txt)");
        boolean image = t.label().endsWith(".nii.gz") || t.label().endsWith(".nii");
        if (t.type().labelIsImage() != image) {
            fail(at + ".label", "\"" + t.label() + "\" does not fit a " + t.type().label() + " task: "
                    + (t.type().labelIsImage() ? "it needs a mask (.nii.gz or .nii)" : "it needs a number in a text file (.txt)"));
        }
        if (t.label().contains("/") || t.label().contains("\\")) {
            fail(at + ".label", "\"" + t.label() + "\" must be a file name, not a path");
        }
        positive(t.finetune(), at + ".finetune");
        positive(t.test(), at + ".test");
        if (d.kind() == DatasetKind.SYNTHETIC && t.finetune() + t.test() > d.generator().subjects()) {
            fail(at + ".test", "finetune + test = " + (t.finetune() + t.test()) + " cases, but dataset " + d.name()
                    + " makes " + d.generator().subjects() + " subjects");
        }
        nonEmpty(t.metrics(), at + ".metrics");
        for (int m = 0; m < t.metrics().size(); m++) {
            String metric = t.metrics().get(m);
            if (!t.type().metrics().contains(metric)) {
                fail(at + ".metrics[" + m + "]", quote(metric) + " does not fit a " + t.type().label()
                        + " task; use " + String.join(", ", t.type().metrics()));
            }
        }
        if (t.seeds() != null && t.seeds().isEmpty()) {
            fail(at + ".seeds", "is empty; leave it out for the single seed 1");
        }
        if (t.seeds() != null && t.seeds().contains(null)) {
            fail(at + ".seeds[" + t.seeds().indexOf(null) + "]", "is empty");
        }
    }

    private static String unknownDataset(String name, Map<String, DatasetSpec> datasets) {
        return quote(name) + " is not a dataset declared here ("
                + datasets.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")";
    }

    private void name(String name, String field) {
        required(name, field, "a name");
        if (!NAME.matcher(name).matches()) {
            fail(field, "\"" + name + "\" is not a name (lower case letters, digits, '.', '_', '-')");
        }
    }

    private void required(Object value, String field, String what) {
        if (value == null || value instanceof String s && s.isBlank()) {
            fail(field, "is missing; it needs " + what);
        }
    }

    private void absent(Object value, String field, String kind) {
        if (value != null) {
            fail(field, "does not apply to a " + kind + " dataset");
        }
    }

    private void nonEmpty(List<?> list, String field) {
        if (list == null || list.isEmpty()) {
            fail(field, "is missing or empty");
        }
        int hole = list.indexOf(null);
        if (hole >= 0) {
            fail(field + "[" + hole + "]", "is empty");
        }
    }

    private void positive(Integer count, String field) {
        required(count, field, "a count of cases");
        if (count <= 0) {
            fail(field, count + " is not a positive count");
        }
    }

    private void fail(String field, String problem) {
        throw new BrainfmException(where(file, lines, field), problem);
    }
}
