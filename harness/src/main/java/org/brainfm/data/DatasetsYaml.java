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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.brainfm.BrainfmException;
import org.brainfm.metrics.TaskType;

/**
 * Reads datasets.yaml into records, as written: Jackson reports syntax and type errors, turned
 * here into one-line {@link BrainfmException}s whose {@code what} is {@code file:line: field.path}.
 * The lines come from one streaming pass over the file that remembers where each field starts;
 * they travel with the records so that {@link DatasetsValidator}, which checks what types cannot
 * say, and {@link Datasets} name fields the same way ({@link #where}).
 */
final class DatasetsYaml {
    private static final YAMLMapper MAPPER = mapper();

    /** The file as it is written: the three top-level lists. */
    record Raw(List<DatasetSpec> datasets, List<TaskSpec> tasks, List<String> pretraining) {}

    /** A parsed file: its lists and the line where each field starts, by path. */
    record Parsed(Path file, Raw raw, Map<String, Integer> lines) {
        /** {@code file:line: path}, the {@code what} of errors about the field at {@code path}. */
        String where(String path) {
            return DatasetsYaml.where(file, lines, path);
        }
    }

    private final Path file;
    private final Map<String, Integer> lines = new HashMap<>();
    /** Scalars as written, by path (strings quoted), to quote a value of the wrong type. */
    private final Map<String, String> scalars = new HashMap<>();

    private DatasetsYaml(Path file) {
        this.file = file;
    }

    /** Reads, then checks: the whole of {@link Datasets#load}. */
    static Datasets load(Path file) {
        Parsed parsed = parse(file);
        DatasetsValidator.check(parsed);
        Raw raw = parsed.raw();
        return new Datasets(file, raw.datasets(), raw.tasks() == null ? List.of() : raw.tasks(),
                raw.pretraining() == null ? List.of() : raw.pretraining(), parsed.lines());
    }

    /** The file's records, unchecked but for types; {@code datasets} may still be missing. */
    static Parsed parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BrainfmException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        DatasetsYaml yaml = new DatasetsYaml(file);
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
        return new Parsed(file, raw, yaml.lines);
    }

    /**
     * {@code file:line: path}, the {@code what} of errors about the field at {@code path}; a field
     * the file leaves out is placed at the nearest enclosing one that it has.
     */
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

    /** A value as the file would write it: text in double quotes. */
    static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
