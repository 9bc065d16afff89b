package be.idsvc.core;

/**
 * An authorization request the service refuses. When the client and redirect URI are trusted, the
 * error goes back to the client by redirect; otherwise ({@link #redirectUri()} is null) it is shown
 * to the person and nobody is redirected anywhere (RFC 6749 §4.1.2.1).
 */
public final class AuthorizationError extends OAuthError {
    private final String redirectUri;
    private final String state;

    private AuthorizationError(String code, String description, String redirectUri, String state) {
        super(code, description, 400);
        this.redirectUri = redirectUri;
        this.state = state;
    }

    /** Shown on an error page: the redirect URI cannot be trusted. */
    public static AuthorizationError shown(String code, String description) {
        return new AuthorizationError(code, description, null, null);
    }

    /** Sent back to the client's registered redirect URI. */
    public static AuthorizationError redirected(String code, String description, String redirectUri, String state) {
        return new AuthorizationError(code, description, redirectUri, state);
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String state() {
        return state;
    }
}
