package be.idsvc.clientauth;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.security.auth.x500.X500Principal;

import be.idsvc.config.ClientRegistry;
import be.idsvc.core.Client;
import be.idsvc.core.ClientAuthMethod;
import be.idsvc.core.OAuthError;

/**
 * RFC 8705 client authentication, the application layer of DESIGN §3: the presented certificate must
 * be pinned by the client named in the request; for {@code tls_client_auth} its chain must also lead
 * to a trusted client CA and its subject must match the registration. Whatever the TLS connector
 * accepted, nothing here trusts a certificate that is not pinned.
 */
public final class ClientAuthenticator {
    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class.getName());

    private final ClientRegistry clients;
    private final Supplier<Set<TrustAnchor>> clientCas;

    public ClientAuthenticator(ClientRegistry clients, Supplier<Set<TrustAnchor>> clientCas) {
        this.clients = clients;
        this.clientCas = clientCas;
    }

    /** The authenticated client, or {@code invalid_client} (the log says why; the caller learns little). */
    public AuthenticatedClient authenticate(String clientId, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw OAuthError.invalidClient("a client certificate is required");
        }
        if (clientId == null) throw OAuthError.invalidClient("client_id is required with certificate authentication");
        Client client = clients.find(clientId).orElse(null);
        String thumbprint = CertificateThumbprint.x5tS256(chain[0]);
        if (client == null) {
            LOG.info(() -> "client authentication failed: unknown client_id, certificate x5t#S256=" + thumbprint);
            throw OAuthError.invalidClient("client authentication failed");
        }
        if (!client.pins().contains(thumbprint)) {
            LOG.info(() -> "client authentication failed for " + client.clientId() + ": certificate x5t#S256=" + thumbprint + " is not pinned");
            throw OAuthError.invalidClient("client authentication failed");
        }
        if (client.authMethod() == ClientAuthMethod.TLS_CLIENT_AUTH) {
            String why = caIssuedProblem(client, chain);
            if (why != null) {
                LOG.info(() -> "client authentication failed for " + client.clientId() + ": " + why + " (x5t#S256=" + thumbprint + ")");
                throw OAuthError.invalidClient("client authentication failed");
            }
        } else if (!isSelfSigned(chain[0])) {
            LOG.info(() -> "client authentication failed for " + client.clientId() + ": registered for self_signed_tls_client_auth"
                    + " but the certificate is not self-signed (x5t#S256=" + thumbprint + ")");
            throw OAuthError.invalidClient("client authentication failed");
        }
        return new AuthenticatedClient(client, thumbprint);
    }

    /** Null when the chain is CA-validated and the subject matches; else the reason. */
    private String caIssuedProblem(Client client, X509Certificate[] chain) {
        try {
            PKIXParameters params = new PKIXParameters(clientCas.get());
            // Revocation is checked by the trust layer where configured, not by the JDK's defaults.
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(pathWithoutAnchors(chain)), params);
        } catch (CertPathValidatorException e) {
            return "certificate chain not valid to a trusted client CA: " + e.getMessage();
        } catch (java.security.InvalidAlgorithmParameterException e) {
            return "no client CA is trusted";
        } catch (java.security.GeneralSecurityException e) {
            return "certificate chain not usable: " + e.getMessage();
        }
        X509Certificate leaf = chain[0];
        if (client.subjectDn() != null && new X500Principal(client.subjectDn()).equals(leaf.getSubjectX500Principal())) {
            return null;
        }
        if (!client.sanDns().isEmpty() && dnsNames(leaf).stream().anyMatch(client.sanDns()::contains)) {
            return null;
        }
        return "certificate subject does not match the registration";
    }

    private static List<X509Certificate> pathWithoutAnchors(X509Certificate[] chain) {
        // The connector may pass the whole chain including a root; PKIX wants the path up to the anchor.
        List<X509Certificate> path = new java.util.ArrayList<>(Arrays.asList(chain));
        while (path.size() > 1 && isSelfSigned(path.get(path.size() - 1))) path.remove(path.size() - 1);
        return path;
    }

    private static boolean isSelfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) return false;
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> dnsNames(X509Certificate c) {
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans == null) return List.of();
            return sans.stream().filter(s -> Integer.valueOf(2).equals(s.get(0))).map(s -> (String) s.get(1)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
    }

    /** A client that proved possession of a pinned certificate with this thumbprint. */
    public record AuthenticatedClient(Client client, String certificateThumbprint) {}
}
