package be.idsvc.core;

import java.util.logging.Logger;

/**
 * An OAuth 2.0 / OIDC error answer: the registered error code, a description that is safe to show
 * to the caller (never personal data, tokens or keys, never the caller's own text: see
 * {@link ErrorDescriptions}), and the HTTP status it travels with.
 */
public class OAuthError extends RuntimeException {
    private static final Logger LOG = Logger.getLogger(OAuthError.class.getName());
    private final String code;
    private final int status;

    /**
     * A description outside RFC 6749's character set is refused: the answer carries a fixed text
     * instead. Such a description can only have been built from the caller's input (every fixed text
     * is within the set), and would break the quoted WWW-Authenticate parameter it may travel in.
     */
    public OAuthError(String code, String description, int status) {
        super(guarded(code, description), null, false, false);
        this.code = code;
        this.status = status;
    }

    private static String guarded(String code, String description) {
        if (ErrorDescriptions.withinCharset(description)) return description;
        // the refused text is the caller's: it is not logged
        LOG.warning(() -> "an error_description outside RFC 6749's character set was replaced (error " + code + ")");
        return ErrorDescriptions.REFUSED_DESCRIPTION;
    }

    /** 503 with Retry-After (added by the error mapper): a dependency is missing, the request may be retried as is. */
    public static OAuthError temporarilyUnavailable(String description) {
        return new OAuthError("temporarily_unavailable", description, 503);
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, 400);
    }

    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, 401);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, 400);
    }

    public static OAuthError invalidToken(String description) {
        return new OAuthError("invalid_token", description, 401);
    }

    public String code() {
        return code;
    }

    public String description() {
        return getMessage();
    }

    public int status() {
        return status;
    }
}
