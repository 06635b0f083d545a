package dev.esae.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.esae.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * esae's one place for JSON: Jackson reads and binds it (records for configs and results, with
 * snake_case keys), and one printer writes every file in esae's layout, so the bytes of a file do
 * not depend on the library's pretty printer.
 *
 * <p>Reading is strict: duplicate keys, trailing text, comments and non-standard literals are
 * errors. Untyped values map to Java as: object → {@code LinkedHashMap<String, Object>} (key
 * order kept), array → {@code List<Object>}, integral number → {@code Long} (a {@code Double}
 * beyond the long range), other number → {@code Double}. Writing keeps a record's component order
 * and a map's own order (insertion or sorted; unordered maps are sorted by key, since
 * {@code Map.of} iterates in an order salted per JVM). NaN and the infinities are not JSON: they
 * are written as {@code null}, so callers keep them out of files that must hold numbers.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // Files carry more than one reader needs (SAELens's fields, provenance).
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            // A string where a number belongs ("k": "2") is an error, as a number where a string belongs is.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** Jackson's advice on coercion configs, in both its wordings: for library users, not for a file's reader. */
    private static final Pattern COERCION_ADVICE = Pattern.compile(" \\(but (could|might) if");

    private Json() {}

    // ---- reading ----

    /** Parses one JSON value; {@link IllegalArgumentException} naming the line and column on any error. */
    public static Object parse(String text) {
        return plain(tree(text));
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    /** Binds JSON text to {@code type} (a record); {@link IllegalArgumentException} when it is not JSON or not that shape. */
    public static <T> T bind(String text, Class<T> type) {
        JsonNode n = tree(text);
        // Jackson binds a top-level null to a null record, which every caller would dereference.
        if (n.isNull()) {
            throw new IllegalArgumentException("JSON: null, expected an object");
        }
        try {
            return MAPPER.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(message(e));
        }
    }

    /** Reads {@code file} as {@code type}; an {@link InputException} naming the file and {@code what} it should be. */
    public static <T> T read(Path file, Class<T> type, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": not found (expected " + what + ")");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            return bind(text, type);
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": cannot be read as " + what + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads the file {@code name} of a folder made by an esae command: when it is missing, the
     * folder is not one ({@code "DIR: not a base model folder (no config.json; make one with 'esae
     * train-base')"}); otherwise as {@link #read}.
     *
     * @param folder what the folder should be, e.g. "a base model folder"
     * @param command the command that makes one, e.g. "esae train-base"
     */
    public static <T> T readFromFolder(Path dir, String name, Class<T> type, String folder, String command, String what) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new InputException(dir + ": not " + folder + " (no " + name + "; make one with '" + command + "')");
        }
        return read(file, type, what);
    }

    /** Reads {@code file} as an object whose every value is a {@code type}, in the file's key order. */
    @SuppressWarnings("unchecked")
    public static <T> Map<String, T> readMap(Path file, Class<T> type, String what) {
        Map<String, Object> raw = read(file, LinkedHashMap.class, what);
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            try {
                out.put(e.getKey(), MAPPER.convertValue(e.getValue(), type));
            } catch (IllegalArgumentException ex) {
                // Jackson's own message runs over several lines; the file's reader gets its first sentence, as from read.
                String why = ex.getCause() instanceof JsonProcessingException j ? message(j) : ex.getMessage();
                throw new InputException(file + ": \"" + e.getKey() + "\" cannot be read as " + what + " (" + why + ")");
            }
        }
        return out;
    }

    /** Converts a value (a record, map or list) to the untyped form {@link #parse} gives. */
    public static Object untyped(Object value) {
        return plain(MAPPER.valueToTree(stable(value)));
    }

    /** A record (or map) as the untyped object {@link #parseObject} gives, e.g. to compare it with a config read back. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> untypedObject(Object value) {
        Object v = untyped(value);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a value that is a JSON object, got " + value);
        }
        return (Map<String, Object>) v;
    }

    private static JsonNode tree(String text) {
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonNode n = MAPPER.readTree(p);
            if (n == null || n.isMissingNode()) {
                throw new IllegalArgumentException("JSON: no value");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(message(e));
        } catch (IOException e) {
            throw new IllegalArgumentException("JSON: " + e.getMessage());
        }
    }

    private static String message(JsonProcessingException e) {
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String field = "";
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            String name = m.getPath().get(m.getPath().size() - 1).getFieldName();
            field = name == null ? "" : "\"" + InputException.printable(name) + "\": ";
        }
        // Jackson's first sentence, without its advice on coercion configs.
        String what = e.getOriginalMessage().lines().findFirst().orElse("malformed");
        Matcher advice = COERCION_ADVICE.matcher(what);
        return "JSON: " + field + (advice.find() ? what.substring(0, advice.start()) : what) + where;
    }

    private static Object plain(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        } else if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), plain(e.getValue()));
            }
            return m;
        } else if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            for (JsonNode x : n) {
                l.add(plain(x));
            }
            return l;
        } else if (n.isTextual()) {
            return n.textValue();
        } else if (n.isBoolean()) {
            return n.booleanValue();
        } else if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        } else if (n.isNumber()) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("JSON: unexpected value " + n.getNodeType());
    }

    // ---- writing ----

    /** Compact JSON (no spaces), as in safetensors headers. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        print(sb, MAPPER.valueToTree(stable(value)), -1, 0);
        return sb.toString();
    }

    /** Indented JSON with a trailing newline, for files people read. */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        print(sb, MAPPER.valueToTree(stable(value)), 2, 0);
        return sb.append('\n').toString();
    }

    /** Maps (at any depth outside records) in an order that is the same in every JVM. */
    private static Object stable(Object v) {
        if (v instanceof Map<?, ?> m) {
            boolean ordered = m instanceof LinkedHashMap<?, ?> || m instanceof java.util.SortedMap<?, ?> || m.size() < 2;
            Map<String, Object> out = ordered ? new LinkedHashMap<>() : new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), stable(e.getValue()));
            }
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(stable(o));
            }
            return out;
        }
        return v;
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append(" ".repeat(indent * depth));
        }
    }

    private static void print(StringBuilder sb, JsonNode v, int indent, int depth) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            sb.append("null");
        } else if (v.isTextual()) {
            quote(sb, v.textValue());
        } else if (v.isBoolean() || v.isIntegralNumber()) {
            sb.append(v.asText());
        } else if (v.isNumber()) {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                sb.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                sb.append(String.format(Locale.ROOT, "%.1f", d));
            } else {
                // Shortest repr that reads back to the same double (float values as floats).
                sb.append(v.isFloat() ? Float.toString(v.floatValue()) : Double.toString(d));
            }
        } else if (v.isObject()) {
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                newline(sb, indent, depth + 1);
                quote(sb, e.getKey());
                sb.append(indent >= 0 ? ": " : ":");
                print(sb, e.getValue(), indent, depth + 1);
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            if (!v.isEmpty()) {
                newline(sb, indent, depth);
            }
            sb.append('}');
        } else if (v.isArray()) {
            sb.append('[');
            boolean scalars = true;
            for (JsonNode o : v) {
                scalars &= !o.isContainerNode();
            }
            boolean first = true;
            for (JsonNode o : v) {
                if (!first) {
                    sb.append(indent >= 0 && scalars ? ", " : ",");
                }
                if (!scalars) {
                    newline(sb, indent, depth + 1);
                }
                print(sb, o, indent, depth + 1);
                first = false;
            }
            if (!scalars && !first) {
                newline(sb, indent, depth);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getNodeType() + " as JSON");
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
