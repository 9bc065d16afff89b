package be.idsvc.clientauth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import be.idsvc.core.OAuthError;
import be.idsvc.core.Secrets;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;

/**
 * Whether a certificate-bound access token (RFC 8705 §3) may still be used: one rule for userinfo
 * and introspection. The certificate the token is bound to must still be pinned by the token's
 * client, that client must still be registered, and a CA-issued certificate must still validate to
 * a trusted client CA, match the registration and not be revoked ({@link ClientAuthenticator#checkStillValid}).
 * <p>
 * Userinfo is called with the bound certificate itself. Introspection may be asked with another
 * certificate of the client (during a rotation); the bound certificate is then the one behind the
 * pin, {@code trust/pinned/<x5t#S256>.pem}, and without it the token is taken as no longer valid.
 */
public final class TokenBindingCheck {
    private static final Logger LOG = Logger.getLogger(TokenBindingCheck.class.getName());
    private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final ClientAuthenticator authenticator;
    private final Path pinnedDir;

    public TokenBindingCheck(ClientAuthenticator authenticator, Path pinnedDir) {
        this.authenticator = authenticator;
        this.pinnedDir = pinnedDir;
    }

    /**
     * For a protected resource (userinfo): the request must present the bound certificate, and it
     * must still be valid for the token's client; else {@code invalid_token}.
     */
    public void requireHolder(String clientId, String boundThumbprint, X509Certificate[] presented) {
        if (presented == null || presented.length == 0) throw OAuthError.invalidToken("a client certificate is required");
        if (!Secrets.constantTimeEquals(CertificateThumbprint.x5tS256(presented[0]), boundThumbprint)) {
            throw OAuthError.invalidToken("the access token is bound to another certificate");
        }
        authenticator.checkStillValid(clientId, presented);
    }

    /**
     * For introspection: whether the token's bound certificate is still valid for its client,
     * whichever certificate the asking request presented. Fails closed: a bound certificate that
     * cannot be found or read makes the token inactive. The log says why.
     */
    public boolean stillValid(String clientId, String boundThumbprint, X509Certificate[] presented) {
        X509Certificate[] bound = presented != null && presented.length > 0
                && Secrets.constantTimeEquals(CertificateThumbprint.x5tS256(presented[0]), boundThumbprint)
                ? presented : pinnedCertificate(clientId, boundThumbprint);
        if (bound == null) return false;
        try {
            authenticator.checkStillValid(clientId, bound);
            return true;
        } catch (OAuthError e) {
            return false;
        }
    }

    /** The certificate (with any chain stored with it) behind a pin, or null. */
    private X509Certificate[] pinnedCertificate(String clientId, String thumbprint) {
        if (thumbprint == null || !THUMBPRINT.matcher(thumbprint).matches()) return null;
        Path file = pinnedDir.resolve(thumbprint + ".pem");
        if (!Files.isRegularFile(file)) {
            LOG.info(() -> "token of " + clientId + " inactive: its certificate x5t#S256=" + thumbprint + " is no longer pinned");
            return null;
        }
        try {
            List<X509Certificate> chain = Pem.certificates(file);
            if (chain.isEmpty() || !CertificateThumbprint.x5tS256(chain.get(0)).equals(thumbprint)) {
                LOG.warning(() -> file + " does not hold the certificate its name pins; token of " + clientId + " taken as inactive");
                return null;
            }
            return chain.toArray(X509Certificate[]::new);
        } catch (RuntimeException e) {
            LOG.warning(() -> file + " is not readable (" + e.getMessage() + "); token of " + clientId + " taken as inactive");
            return null;
        }
    }
}
