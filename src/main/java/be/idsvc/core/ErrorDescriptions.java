package be.idsvc.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The error_description texts that depend on what the caller sent. A description is a fixed text:
 * it names a parameter only when the name is one of the protocol's own, never a value, an unknown
 * parameter name or a client_id, so nothing the caller chose comes back (into a redirect, a page or
 * a WWW-Authenticate header). Every text stays within RFC 6749's character set, which
 * {@link OAuthError} enforces for all descriptions.
 */
public final class ErrorDescriptions {
    private ErrorDescriptions() {}

    /** RFC 6749 §4.1.2.1 / §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
    private static final Pattern CHARSET = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*");

    /** What {@link OAuthError} says instead of a description outside the character set. */
    public static final String REFUSED_DESCRIPTION = "the request was refused";
    public static final String PARAMETER_REPEATED = "a parameter is repeated";
    public static final String PARAMETER_TOO_LONG = "a parameter is too long";
    public static final String UNKNOWN_SCOPE = "the scope names an unknown value";
    public static final String SIGNING_KEY_UNAVAILABLE = "the service cannot sign an ID token now; retry shortly";

    /**
     * The parameter names of the requests this service reads (authorization, token, introspection,
     * revocation, the pages' forms). Only these may appear in a description.
     */
    private static final Set<String> PARAMETERS = Set.of(
            "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
            "code_challenge_method", "prompt", "max_age", "ui_locales", "response_mode", "request", "request_uri",
            "login_hint", "id_token_hint", "acr_values", "claims", "display", "claims_locales", "registration",
            "grant_type", "code", "code_verifier", "refresh_token", "token", "token_type_hint");

    /** "NAME is repeated" for a parameter of the protocol, else the same words without the caller's name. */
    public static String repeated(String name) {
        return PARAMETERS.contains(name) ? name + " is repeated" : PARAMETER_REPEATED;
    }

    /** "NAME is too long" for a parameter of the protocol, else the same words without the caller's name. */
    public static String tooLong(String name) {
        return PARAMETERS.contains(name) ? name + " is too long" : PARAMETER_TOO_LONG;
    }

    /** Whether the text may travel as an error_description (null, meaning none, may). */
    public static boolean withinCharset(String description) {
        return description == null || CHARSET.matcher(description).matches();
    }

    /** Every text this table can produce, for the test that holds them to the character set. */
    public static List<String> all() {
        List<String> out = new ArrayList<>(List.of(REFUSED_DESCRIPTION, PARAMETER_REPEATED, PARAMETER_TOO_LONG,
                UNKNOWN_SCOPE, SIGNING_KEY_UNAVAILABLE));
        for (String p : new TreeSet<>(PARAMETERS)) {
            out.add(repeated(p));
            out.add(tooLong(p));
        }
        return out;
    }
}
