package be.idsvc.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A form whose every parameter appears at most once (RFC 6749 §3.1, §3.2) and is not oversized.
 * Empty values count as absent.
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
            List<String> v = e.getValue();
            if (v.size() > 1) throw OAuthError.invalidRequest(ErrorDescriptions.repeated(e.getKey()));
            // "name" without "=" arrives as a null value: absent, like an empty one.
            if (v.isEmpty() || v.get(0) == null || v.get(0).isEmpty()) continue;
            if (v.get(0).length() > MAX_VALUE_LENGTH) throw OAuthError.invalidRequest(ErrorDescriptions.tooLong(e.getKey()));
            out.put(e.getKey(), v.get(0));
        }
        return new SingleValuedForm(out);
    }

    public String get(String name) {
        return values.get(name);
    }
}
