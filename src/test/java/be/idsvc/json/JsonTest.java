package be.idsvc.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The limits and rules of the one mapper (issue 21), each at its edge: the last accepted and the first refused. */
class JsonTest {
    record Own(@JsonProperty("a") String a) {}

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static Json.InvalidJson refused(String json) {
        return assertThrows(Json.InvalidJson.class, () -> Json.readObject(json));
    }

    @Test
    void nestingDepthIsLimited() {
        Json.readObject(nested(Json.MAX_NESTING_DEPTH));
        Json.InvalidJson e = refused(nested(Json.MAX_NESTING_DEPTH + 1));
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        // arrays count as well
        refused("{\"a\":" + "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH) + "}");
    }

    @Test
    void stringLengthIsLimited() {
        assertEquals(Json.MAX_STRING_CHARS, ((String) Json.readObject("{\"a\":\"" + "x".repeat(Json.MAX_STRING_CHARS) + "\"}").get("a")).length());
        Json.InvalidJson e = refused("{\"a\":\"" + "x".repeat(Json.MAX_STRING_CHARS + 1) + "\"}");
        assertTrue(e.getMessage().contains("String value length"), e.getMessage());
    }

    @Test
    void numberLengthIsLimited() {
        assertEquals(Long.MIN_VALUE, Json.readObject("{\"a\":" + Long.MIN_VALUE + "}").get("a"));
        // beyond a long: refused, never silently rounded
        assertTrue(refused("{\"a\":12345678901234567890}").getMessage().contains("a number out of range"));
        Json.InvalidJson e = refused("{\"a\":" + "9".repeat(Json.MAX_NUMBER_CHARS + 1) + "}");
        assertTrue(e.getMessage().contains("Number value length"), e.getMessage());
        refused("{\"a\":1." + "5".repeat(Json.MAX_NUMBER_CHARS + 1) + "}");
    }

    @Test
    void documentSizeIsLimited() {
        // many short strings: under every other limit, over the document size
        StringBuilder b = new StringBuilder("{\"a\":[");
        String item = "\"" + "y".repeat(60_000) + "\",";
        while (b.length() < Json.MAX_DOCUMENT_BYTES) b.append(item);
        b.append("\"\"]}");
        Json.InvalidJson e = refused(b.toString());
        assertTrue(e.getMessage().contains("longer than") || e.getMessage().contains("Document length"), e.getMessage());
        // the same limit on the byte stream the parser counts, below the quick length check
        assertThrows(Json.InvalidJson.class, () -> Json.readObject(" ".repeat(Json.MAX_DOCUMENT_BYTES - 10) + "{\"a\":\"" + "z".repeat(100) + "\"}"));
    }

    @Test
    void nameLengthAndTokenCountAreLimited() {
        Json.readObject("{\"" + "n".repeat(Json.MAX_NAME_CHARS) + "\":1}");
        refused("{\"" + "n".repeat(Json.MAX_NAME_CHARS + 1) + "\":1}");
        refused("{\"a\":[" + "1,".repeat((int) Json.MAX_TOKENS) + "1]}");
    }

    @Test
    void duplicateMembersAreRefusedAtEveryLevel() {
        Json.InvalidJson e = refused("{\"error\":\"a\",\"error\":\"b\"}");
        assertTrue(e.getMessage().contains("a duplicate member name"), e.getMessage());
        refused("{\"a\":{\"b\":1,\"c\":2,\"b\":1}}");
        refused("[{\"a\":1,\"a\":1}]".replace("[", "{\"x\":[").replace("]", "]}"));
        assertThrows(Json.InvalidJson.class, () -> Json.readOwn("{\"a\":\"x\",\"a\":\"y\"}", Own.class));
        assertThrows(Json.InvalidJson.class, () -> Json.readMessage("{\"a\":\"x\",\"a\":\"y\"}", Own.class));
    }

    @Test
    void ownFormatsRefuseUnknownMembersMessagesIgnoreThem() {
        assertEquals(new Own("x"), Json.readOwn("{\"a\":\"x\"}", Own.class));
        Json.InvalidJson e = assertThrows(Json.InvalidJson.class, () -> Json.readOwn("{\"a\":\"x\",\"b\":1}", Own.class));
        assertTrue(e.getMessage().contains("\"b\""), e.getMessage());
        assertEquals(new Own("x"), Json.readMessage("{\"a\":\"x\",\"b\":{\"c\":[1,2]}}", Own.class));
    }

    @Test
    void whatIsNotOneJsonObjectIsRefused() {
        for (String bad : new String[] {"", " ", "null", "[]", "\"a\"", "1", "{", "{\"a\":1}{}", "{\"a\":1} x", "{'a':1}", "{a:1}",
                "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":1/*c*/}", "{\"a\":\"\u0001\"}"}) {
            assertThrows(Json.InvalidJson.class, () -> Json.readObject(bad), bad);
        }
        assertThrows(Json.InvalidJson.class, () -> Json.readObject(null));
        assertThrows(Json.InvalidJson.class, () -> Json.readOwn("null", Own.class));
    }

    @Test
    void refusalsQuoteNoPartOfTheDocument() {
        String secret = "SECRET-access-token-value";
        for (String bad : new String[] {"{\"t\":\"" + secret + "\",\"t\":\"" + secret + "\"}", "{\"t\":" + secret + "}",
                "{\"" + secret + "\":1,\"" + secret + "\":2}", "{\"t\":\"" + secret + "\"} " + secret}) {
            Json.InvalidJson e = refused(bad);
            assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        }
    }

    @Test
    void integersComeBackAsLongAsFromJose4j() {
        Map<String, Object> m = Json.readObject("{\"a\":1,\"b\":[2],\"c\":{\"d\":3},\"e\":1.5,\"f\":true,\"g\":null}");
        assertEquals(1L, m.get("a"));
        assertEquals(List.of(2L), m.get("b"));
        assertEquals(Map.of("d", 3L), m.get("c"));
        assertEquals(1.5, m.get("e"));
        assertEquals(true, m.get("f"));
        assertTrue(m.containsKey("g") && m.get("g") == null);
        assertEquals(List.of("a", "b", "c", "e", "f", "g"), List.copyOf(m.keySet()), "member order is kept");
    }

    @Test
    void writingIsCompactInInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", List.of("x", 2));
        m.put("m", Map.of());
        m.put("n", null);
        m.put("d", 1.0E20);
        m.put("b", false);
        assertEquals("{\"z\":1,\"a\":[\"x\",2],\"m\":{},\"n\":null,\"d\":1.0E20,\"b\":false}", Json.write(m));
    }

    /** jose4j's JsonUtil escaped exactly these, with upper-case hex; everything else went out as is. */
    private static String joseEscaped(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x2000 && c <= 0x20FF)
                    ? String.format("\\u%04X", (int) c) : String.valueOf(c);
        };
    }

    @Test
    void everyCharacterIsEscapedAsJose4jDid() throws Exception {
        ObjectMapper jaxrs = Json.forJaxRs();
        for (int c = 0; c <= 0xFFFF; c++) {
            if (Character.isSurrogate((char) c)) continue;
            String s = String.valueOf((char) c);
            String expected = "[\"" + joseEscaped((char) c) + "\"]";
            assertEquals(expected, Json.write(List.of(s)), "U+" + Integer.toHexString(c));
            // the bytes Jersey writes (UTF-8 generator) and member names too
            try {
                assertEquals(expected, new String(jaxrs.writeValueAsBytes(List.of(s)), java.nio.charset.StandardCharsets.UTF_8), "U+" + Integer.toHexString(c));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        assertEquals("{\"\\u2028/\":\"\uD83D\uDE00\"}", Json.write(Map.of("\u2028/", "\uD83D\uDE00")));
        // outside the BMP: four bytes of UTF-8 from the byte generator too, not two escaped surrogates
        assertEquals("{\"\\u2028/\":\"\uD83D\uDE00\"}", new String(jaxrs.writeValueAsBytes(Map.of("\u2028/", "\uD83D\uDE00")), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theMapperHandedToJerseyHasTheSameLimits() throws Exception {
        ObjectMapper jaxrs = Json.forJaxRs();
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> jaxrs.readTree(nested(Json.MAX_NESTING_DEPTH + 1)));
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> jaxrs.readTree("{\"a\":1,\"a\":2}"));
        assertEquals(Json.MAX_STRING_CHARS, jaxrs.getFactory().streamReadConstraints().getMaxStringLength());
        assertEquals(Json.MAX_DOCUMENT_BYTES, jaxrs.getFactory().streamReadConstraints().getMaxDocumentLength());
        // a change Jersey makes to its copy does not reach the service's own mapper
        jaxrs.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.defaults());
        refused(nested(Json.MAX_NESTING_DEPTH + 1));
    }
}
