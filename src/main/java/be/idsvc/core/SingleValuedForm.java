package be.idsvc.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A form whose every parameter appears at most once (RFC 6749 §3.1, §3.2) and is not oversized.
 * Empty values count as absent. The one reader of single-valued parameters: the back channel's
 * forms ({@link #of}), the authorization request ({@link #one}, with its own way to refuse), and
 * the flow pages' forms ({@link #exactlyOnce}).
 */
public final class SingleValuedForm {
    public static final int MAX_VALUE_LENGTH = 2048;
    private final Map<String, String> values;

    private SingleValuedForm(Map<String, String> values) {
        this.values = values;
    }

    /** The form, or {@code invalid_request} naming the repeated or oversized parameter if it is one of the protocol's. */
    public static SingleValuedForm of(Map<String, List<String>> form) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            String v = one(e.getKey(), e.getValue(), OAuthError::invalidRequest);
            if (v != null) out.put(e.getKey(), v);
        }
        return new SingleValuedForm(out);
    }

    /**
     * The one value of parameter {@code name}, or null when it is absent or empty ("name" without
     * "=" arrives as a null value: absent too). A repeated or oversized one is refused with the
     * exception {@code refuse} makes of the description ({@link ErrorDescriptions}).
     */
    public static String one(String name, List<String> values, Function<String, ? extends RuntimeException> refuse) {
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) throw refuse.apply(ErrorDescriptions.repeated(name));
        String v = values.get(0);
        if (v == null || v.isEmpty()) return null;
        if (v.length() > MAX_VALUE_LENGTH) throw refuse.apply(ErrorDescriptions.tooLong(name));
        return v;
    }

    /**
     * A page's form: every field exactly once, values as posted and of any length (a card readout's
     * fields are large), or empty when a field is repeated: which value was meant is ambiguous, so
     * the whole post is refused rather than one value picked.
     */
    public static Optional<Map<String, String>> exactlyOnce(Map<String, List<String>> form) {
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() != 1) return Optional.empty();
            fields.put(e.getKey(), e.getValue().get(0));
        }
        return Optional.of(fields);
    }

    public String get(String name) {
        return values.get(name);
    }
}
