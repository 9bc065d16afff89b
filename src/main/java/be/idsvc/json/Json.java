package be.idsvc.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The service's one JSON mapper (issue 21): every document the service writes or reads goes
 * through it, the JAX-RS responses too ({@link #forJaxRs()}). JOSE objects stay with jose4j.
 *
 * <p>Reading is bounded for everything, whether it comes from outside (a readout file handed to
 * the CLI, a response a test client reads) or from a file an admin can edit (sandbox cards): see
 * the {@code MAX_} limits. Duplicate member names are refused (two parsers could otherwise
 * disagree on which one counts). Two readers: {@link #readOwn} for the formats this service
 * defines (sandbox cards, sealed store records), where an unknown member is a mistake and is
 * refused; {@link #readMessage} for protocol messages and foreign files, where the RFCs say to
 * ignore members one does not know (RFC 6749 §5.1, RFC 8414 §3.2, RFC 7662 §2.2).
 *
 * <p>Writing is byte-for-byte what jose4j's {@code JsonUtil} wrote before ({@link JoseCompatibleEscapes}):
 * compact, members in declaration order, integers as digits.
 */
public final class Json {
    /** The largest document read: the largest legitimate one (a readout with a 64 KiB photo) is about 200 KiB. */
    public static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    /** Our deepest document (a sealed code: grant, identity, claims, address) nests four levels. */
    public static final int MAX_NESTING_DEPTH = 16;
    /** The longest string: a 64 KiB photo in base64 is 87,384 characters. */
    public static final int MAX_STRING_CHARS = 128 * 1024;
    /** A 64-bit integer has 19 digits; nothing here carries more precision. */
    public static final int MAX_NUMBER_CHARS = 20;
    /** Member names are short protocol names ("introspection_endpoint_auth_methods_supported" is 45). */
    public static final int MAX_NAME_CHARS = 256;
    /** A sandbox card is about 30 tokens, a token response 12, discovery about 100. */
    public static final long MAX_TOKENS = 10_000;

    private static final JsonMapper MAPPER = build();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectReader OWN = MAPPER.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectReader MESSAGE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private Json() {}

    /**
     * A JSON document that could not be read: malformed, over a limit, or not of the expected shape.
     * It carries no cause: Jackson's own messages quote the document.
     */
    public static final class InvalidJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidJson(String message) {
            super(message);
        }
    }

    static JsonMapper build() {
        JsonFactory factory = new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_CHARS)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .maxNameLength(MAX_NAME_CHARS)
                        .maxTokenCount(MAX_TOKENS)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // an error message quotes no part of the document (it may hold personal data or a token)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .characterEscapes(new JoseCompatibleEscapes())
                // a character outside the BMP goes out as UTF-8 (as jose4j did), not as two escaped surrogates
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // open members (claims) come back as Long, as they did from jose4j
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .build();
    }

    /**
     * A copy of the mapper for Jersey's {@code JacksonFeature}: Jersey's provider may reconfigure
     * the mapper it is given, which must not change what the rest of the service writes or reads.
     */
    public static ObjectMapper forJaxRs() {
        return MAPPER.copy();
    }

    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** One of our own formats: unknown members are refused. */
    public static <T> T readOwn(String json, Class<T> type) {
        return read(OWN, json, type);
    }

    /** A protocol message or a foreign file: unknown members are ignored. */
    public static <T> T readMessage(String json, Class<T> type) {
        return read(MESSAGE, json, type);
    }

    /** A JSON object whose members are open (claims): maps, lists, strings, Longs, Doubles, booleans, nulls. */
    public static Map<String, Object> readObject(String json) {
        if (json == null) throw new InvalidJson("not valid JSON here: no document");
        if (json.length() > MAX_DOCUMENT_BYTES) throw tooLong();
        try {
            Map<String, Object> m = MESSAGE.forType(OBJECT).readValue(json);
            if (m == null) throw new InvalidJson("not valid JSON here: null, not an object");
            return m;
        } catch (JacksonException e) {
            throw new InvalidJson(describe(e));
        } catch (IOException e) {
            throw new InvalidJson("not valid JSON here: unreadable");
        }
    }

    /** Refused before parsing (a file is checked by its size before it is read: {@link #checkSize}). */
    static InvalidJson tooLong() {
        return new InvalidJson("not valid JSON here: the document is longer than " + MAX_DOCUMENT_BYTES + " bytes");
    }

    /** For a file about to be read whole: refuses one larger than any document the mapper would take. */
    public static void checkSize(long bytes) {
        if (bytes > MAX_DOCUMENT_BYTES) throw tooLong();
    }

    private static <T> T read(ObjectReader reader, String json, Class<T> type) {
        if (json == null) throw new InvalidJson("not valid JSON here: no document");
        if (json.length() > MAX_DOCUMENT_BYTES) throw tooLong();
        try {
            T value = reader.forType(type).readValue(json);
            if (value == null) throw new InvalidJson("not valid JSON here: null");
            return value;
        } catch (JacksonException e) {
            throw new InvalidJson(describe(e));
        } catch (IOException e) {
            throw new InvalidJson("not valid JSON here: unreadable");
        }
    }

    /**
     * What was wrong and where, never a piece of the document (Jackson quotes unrecognised tokens,
     * which may be a token or personal data): the limit that was hit, or the kind of mistake.
     */
    static String describe(JacksonException e) {
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String what;
        if (e instanceof StreamConstraintsException c) {
            what = firstLine(c.getOriginalMessage());
        } else if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown member " + quotedName(u.getPropertyName());
        } else if (e instanceof InputCoercionException) {
            what = "a number out of range";
        } else if (e instanceof StreamReadException && e.getOriginalMessage().startsWith("Duplicate field")) {
            what = "a duplicate member name";
        } else if (e instanceof MismatchedInputException) {
            what = "a member of the wrong type, or a missing or null document";
        } else {
            what = "malformed JSON";
        }
        return "not valid JSON here: " + what + where;
    }

    private static String firstLine(String s) {
        int cut = s.indexOf('\n');
        return cut < 0 ? s : s.substring(0, cut);
    }

    /** A member name only if it looks like one of ours; anything else is not repeated. */
    private static String quotedName(String name) {
        return name != null && name.matches("[A-Za-z0-9_#:.-]{1,64}") ? "\"" + name + "\"" : "(name not shown)";
    }
}
