package dev.esae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.esae.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    /**
     * Found by JsonFuzzTest (crash-65f484b5...): a file holding the JSON value null bound to a null
     * record, and SaeFiles.readHeader, ModelFiles.readConfig and DatasetFiles dereferenced it (a
     * NullPointerException).
     */
    @Test
    void aFileHoldingNullIsRefusedWhereARecordBelongs(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(dev.esae.sae.SaeFiles.CONFIG), "\nnull");
        InputException e = assertThrows(InputException.class, () -> dev.esae.sae.SaeFiles.readHeader(dir));
        assertEquals(dir.resolve(dev.esae.sae.SaeFiles.CONFIG) + ": cannot be read as an SAE config (JSON: null, expected an object)",
                e.getMessage());
        Files.writeString(dir.resolve(dev.esae.base.ModelFiles.CONFIG), "null");
        assertThrows(InputException.class, () -> dev.esae.base.ModelFiles.readConfig(dir));
        Files.writeString(dir.resolve(dev.esae.data.DatasetFiles.INFO), "null");
        assertThrows(InputException.class, () -> dev.esae.data.DatasetFiles.orientations(dir));
        Path map = dir.resolve("timings.json");
        Files.writeString(map, "null");
        assertThrows(InputException.class, () -> Json.readMap(map, Double.class, "the study's step times"));
    }

    /**
     * Found by JsonFuzzTest on its seeds: a value of the wrong type in a map file gave Jackson's whole
     * message, its advice on coercion configs and a second line "at [Source: UNKNOWN; ...]".
     */
    @Test
    void aMapValueOfTheWrongTypeIsOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("timings.json");
        Files.writeString(f, "{\"dataset\": 1.5, \"preset\": \"tiny\"}");
        InputException e = assertThrows(InputException.class, () -> Json.readMap(f, Double.class, "the study's step times"));
        assertEquals(f + ": \"preset\" cannot be read as the study's step times (JSON: Cannot coerce String value (\"tiny\") to"
                + " `java.lang.Double` value)", e.getMessage());
    }

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                " {\"a\": [1, -2.5e3, true, false, null], \"s\": \"q\\\"\\\\\\n\\u00e9/\", \"o\": {}, \"big\": 12345678901234567890} ");
        assertEquals(List.of(1L, -2500.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertNull(((List<?>) m.get("a")).get(4));
        assertEquals("q\"\\\n\u00e9/", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(1.2345678901234567e19, (Double) m.get("big"), 1e4);
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tab\tquote\"");
        m.put("n", 3);
        m.put("x", 0.1);
        m.put("f", 0.1f);
        m.put("whole", 2.0);
        m.put("nan", Double.NaN);
        m.put("list", List.of(1, 2, 3));
        m.put("nested", Map.of("k", List.of(Map.of("z", false))));
        String compact = Json.write(m);
        assertEquals("{\"name\":\"tab\\tquote\\\"\",\"n\":3,\"x\":0.1,\"f\":0.1,\"whole\":2.0,\"nan\":null,\"list\":[1,2,3],"
                + "\"nested\":{\"k\":[{\"z\":false}]}}", compact);
        Map<String, Object> back = Json.parseObject(Json.pretty(m));
        assertEquals(0.1, back.get("x"));
        assertEquals(3L, back.get("n"));
        assertEquals(List.of(1L, 2L, 3L), back.get("list"));
    }

    @Test
    void rejectsMalformedInput() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,\"a\":2}", "tru", "\"\\x\"", "1 2", "{'a':1}"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void unorderedMapsAreWrittenInKeyOrderSoEveryJvmWritesTheSameBytes() {
        // Map.of iterates in an order salted per JVM; the output must not depend on it.
        assertEquals("{\"a\":1,\"b\":2,\"c\":{\"x\":true,\"y\":false}}",
                Json.write(Map.of("c", Map.of("y", false, "x", true), "b", 2, "a", 1)));
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("z", 1);
        kept.put("a", 2);
        assertEquals("{\"z\":1,\"a\":2}", Json.write(kept), "an insertion order is kept");
    }
}
