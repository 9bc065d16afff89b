package be.idsvc.clientauth;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.security.auth.x500.X500Principal;

import be.idsvc.config.ClientRegistry;
import be.idsvc.core.Client;
import be.idsvc.core.ClientAuthMethod;
import be.idsvc.core.OAuthError;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.SelfSigned;
import be.idsvc.revocation.RevocationChecker;

/**
 * RFC 8705 client authentication, the application layer of DESIGN §3: the presented certificate must
 * be pinned by the client named in the request; for {@code tls_client_auth} its chain must also lead
 * to a trusted client CA, its subject must match the registration and neither it nor any CA
 * certificate between it and the trusted CA may be revoked ({@link RevocationChecker},
 * docs/revocation.md). For both methods the certificate must be within its validity dates and
 * usable for client authentication ({@link ClientCertificateUsage}). Whatever the TLS connector
 * accepted, nothing here trusts a certificate that is not pinned.
 */
public final class ClientAuthenticator {
    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class.getName());

    private final ClientRegistry clients;
    private final Supplier<Set<TrustAnchor>> clientCas;
    private final RevocationChecker revocation;
    private final Clock clock;
    /**
     * Successful CA-path checks, so that a client's every token and userinfo request does not pay a
     * PKIX validation. An entry answers only while the CA set it was checked against is the one
     * loaded (a CA change replaces the set) and every certificate of its path is within its
     * validity; the registration is part of the key, so a changed client is checked anew.
     * Failures are not cached: each one is checked and logged.
     */
    private final Map<CaCheckKey, CaCheck> caChecks = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_CA_CHECKS = 10_000;

    private record CaCheckKey(String thumbprint, Client client) {}

    private record CaCheck(Set<TrustAnchor> anchors, CaIssued result, long validFrom, long validUntil) {}

    /** Without revocation checking (every CA-issued certificate is taken as not revoked). */
    public ClientAuthenticator(ClientRegistry clients, Supplier<Set<TrustAnchor>> clientCas, Clock clock) {
        this(clients, clientCas, RevocationChecker.none(), clock);
    }

    /** @param clock the time against which cached CA-path checks expire with their certificates */
    public ClientAuthenticator(ClientRegistry clients, Supplier<Set<TrustAnchor>> clientCas, RevocationChecker revocation, Clock clock) {
        this.clients = clients;
        this.clientCas = clientCas;
        this.revocation = java.util.Objects.requireNonNull(revocation);
        this.clock = java.util.Objects.requireNonNull(clock);
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
            String broken = clients.whyRefused(clientId).orElse(null);
            if (broken != null) {
                LOG.warning(() -> "client authentication failed: client " + clientId + " is disabled, its registration does not parse ("
                        + broken + "); certificate x5t#S256=" + thumbprint);
                throw OAuthError.invalidClient("client authentication failed");
            }
            LOG.info(() -> "client authentication failed: unknown client_id, certificate x5t#S256=" + thumbprint);
            throw OAuthError.invalidClient("client authentication failed");
        }
        if (!client.pins().contains(thumbprint)) {
            LOG.info(() -> "client authentication failed for " + client.clientId() + ": certificate x5t#S256=" + thumbprint + " is not pinned");
            throw OAuthError.invalidClient("client authentication failed");
        }
        String unusable = ClientCertificateUsage.problem(chain[0], new java.util.Date());
        if (unusable != null) {
            LOG.info(() -> "client authentication failed for " + client.clientId() + ": " + unusable + " (x5t#S256=" + thumbprint + ")");
            throw OAuthError.invalidClient("client authentication failed");
        }
        if (client.authMethod() == ClientAuthMethod.TLS_CLIENT_AUTH) {
            CaIssued ca = caIssuedCached(client, chain, thumbprint);
            if (ca.problem() != null) {
                LOG.info(() -> "client authentication failed for " + client.clientId() + ": " + ca.problem() + " (x5t#S256=" + thumbprint + ")");
                throw OAuthError.invalidClient("client authentication failed");
            }
            // admit() logs the refusal (client id, x5t#S256, serial, why)
            if (!pathAdmitted(client.clientId(), ca)) {
                throw OAuthError.invalidClient("client authentication failed");
            }
        } else if (!SelfSigned.is(chain[0])) {
            LOG.info(() -> "client authentication failed for " + client.clientId() + ": registered for self_signed_tls_client_auth"
                    + " but the certificate is not self-signed (x5t#S256=" + thumbprint + ")");
            throw OAuthError.invalidClient("client authentication failed");
        }
        return new AuthenticatedClient(client, thumbprint);
    }

    /**
     * For the userinfo endpoint: whether the certificate presented with an access token may still be
     * used by the client the token was issued to. Throws {@code invalid_token} when the client is no
     * longer registered, the certificate is no longer pinned, or (tls_client_auth) its chain no
     * longer validates to a trusted client CA, its subject no longer matches, or it is revoked
     * (or its status is unavailable under {@code revocation.unavailable=fail}). Revocation answers
     * and successful CA-path checks are cached, so calling this on every userinfo request is cheap.
     * The log says why.
     *
     * @param clientId the client the access token was issued to
     * @param chain the certificate chain presented on this request (leaf first)
     */
    public void checkStillValid(String clientId, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) throw OAuthError.invalidToken("a client certificate is required");
        String thumbprint = CertificateThumbprint.x5tS256(chain[0]);
        Client client = clients.find(clientId).orElse(null);
        String why = null;
        if (client == null) {
            why = clients.whyRefused(clientId).map(b -> "the client is disabled, its registration does not parse (" + b + ")")
                    .orElse("the client is no longer registered");
        } else if (!client.pins().contains(thumbprint)) {
            why = "the certificate is no longer pinned";
        } else if ((why = ClientCertificateUsage.problem(chain[0], new java.util.Date())) != null) {
            // expired since the token was issued, or never usable for client authentication
        } else if (client.authMethod() == ClientAuthMethod.TLS_CLIENT_AUTH) {
            CaIssued ca = caIssuedCached(client, chain, thumbprint);
            if (ca.problem() != null) {
                why = ca.problem();
            } else if (!pathAdmitted(client.clientId(), ca)) {
                throw OAuthError.invalidToken("the client certificate is no longer valid");
            }
        }
        if (why != null) {
            String w = why;
            LOG.info(() -> "certificate no longer valid for " + clientId + ": " + w + " (x5t#S256=" + thumbprint + ")");
            throw OAuthError.invalidToken("the client certificate is no longer valid");
        }
    }

    /**
     * A CA-validated leaf whose subject matches: its validated path (leaf first, without the trust
     * anchor) and the anchor's certificate; or the problem.
     */
    private record CaIssued(List<X509Certificate> path, X509Certificate anchor, String problem) {
        static CaIssued problem(String why) {
            return new CaIssued(null, null, why);
        }

        /** The certificate that issued {@code path.get(i)}: the next one of the path, else the anchor. */
        X509Certificate issuerOf(int i) {
            return i + 1 < path.size() ? path.get(i + 1) : anchor;
        }
    }

    /**
     * Revocation of every certificate of the path, leaf first: a revoked intermediate CA takes every
     * certificate it issued with it. The trust anchor itself is not checked; removing it from
     * {@code trust/client-ca/} is how it is withdrawn. Each refusal is logged by {@code admit}.
     */
    private boolean pathAdmitted(String clientId, CaIssued ca) {
        for (int i = 0; i < ca.path().size(); i++) {
            if (!revocation.admit(clientId, ca.path().get(i), ca.issuerOf(i)).admitted()) return false;
        }
        return true;
    }

    private CaIssued caIssuedCached(Client client, X509Certificate[] chain, String thumbprint) {
        Set<TrustAnchor> anchors = clientCas.get();
        long now = clock.millis();
        CaCheckKey key = new CaCheckKey(thumbprint, client);
        CaCheck hit = caChecks.get(key);
        if (hit != null && hit.anchors() == anchors && now >= hit.validFrom() && now < hit.validUntil()) return hit.result();
        CaIssued result = caIssued(client, chain, anchors);
        if (result.problem() == null) {
            if (caChecks.size() >= MAX_CACHED_CA_CHECKS) caChecks.clear();
            long from = Long.MIN_VALUE;
            long until = Long.MAX_VALUE;
            for (X509Certificate c : chain) {
                from = Math.max(from, c.getNotBefore().getTime());
                until = Math.min(until, c.getNotAfter().getTime());
            }
            caChecks.put(key, new CaCheck(anchors, result, from, until));
        }
        return result;
    }

    private CaIssued caIssued(Client client, X509Certificate[] chain, Set<TrustAnchor> anchors) {
        List<X509Certificate> validated;
        X509Certificate anchor;
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            // Revocation is checked by the RevocationChecker afterwards, not by the JDK's defaults.
            params.setRevocationEnabled(false);
            java.security.cert.CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(pathWithoutAnchors(chain));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(path, params);
            validated = path.getCertificates().stream().map(c -> (X509Certificate) c).toList();
            anchor = result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            return CaIssued.problem("certificate chain not valid to a trusted client CA: " + e.getMessage());
        } catch (java.security.InvalidAlgorithmParameterException e) {
            return CaIssued.problem("no client CA is trusted");
        } catch (java.security.GeneralSecurityException e) {
            return CaIssued.problem("certificate chain not usable: " + e.getMessage());
        }
        if (anchor == null) return CaIssued.problem("the trust anchor has no certificate");
        X509Certificate leaf = chain[0];
        if (client.subjectDn() != null && new X500Principal(client.subjectDn()).equals(leaf.getSubjectX500Principal())) {
            return new CaIssued(validated, anchor, null);
        }
        if (!client.sanDns().isEmpty() && dnsNames(leaf).stream().anyMatch(client.sanDns()::contains)) {
            return new CaIssued(validated, anchor, null);
        }
        return CaIssued.problem("certificate subject does not match the registration");
    }

    private static List<X509Certificate> pathWithoutAnchors(X509Certificate[] chain) {
        // The connector may pass the whole chain including a root; PKIX wants the path up to the anchor.
        List<X509Certificate> path = new java.util.ArrayList<>(Arrays.asList(chain));
        while (path.size() > 1 && SelfSigned.is(path.get(path.size() - 1))) path.remove(path.size() - 1);
        return path;
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
