package be.idsvc.core;

/**
 * An OAuth 2.0 / OIDC error answer: the registered error code, a description that is safe to show
 * to the caller (never personal data, tokens or keys), and the HTTP status it travels with.
 */
public class OAuthError extends RuntimeException {
    private final String code;
    private final int status;

    public OAuthError(String code, String description, int status) {
        super(description, null, false, false);
        this.code = code;
        this.status = status;
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
