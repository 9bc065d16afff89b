package be.idsvc.revocation;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * RFC 6960 OCSP over http POST: a request with a nonce; the response must be signed by the issuing
 * CA or by a responder certificate the CA issued with {@code id-kp-OCSPSigning}; an echoed nonce
 * must match; thisUpdate must not be in the future, nextUpdate not in the past (a response without
 * nextUpdate must be at most {@link #MAX_AGE_WITHOUT_NEXT_UPDATE} old). GOOD and REVOKED answers are
 * cached until nextUpdate (or {@link #CACHE_WITHOUT_NEXT_UPDATE}). After a transport failure the
 * responder is not asked again for {@link #RETRY_AFTER_FAILURE}.
 */
final class OcspClient {
    static final Duration CACHE_WITHOUT_NEXT_UPDATE = Duration.ofMinutes(5);
    static final Duration MAX_AGE_WITHOUT_NEXT_UPDATE = Duration.ofHours(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    static final int MAX_CACHED = 10_000;
    private static final Logger LOG = Logger.getLogger(OcspClient.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Cached(RevocationResult result, Instant until) {}

    private final ConcurrentHashMap<String, Cached> answers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> downUntil = new ConcurrentHashMap<>();
    private final Clock clock;

    OcspClient(Clock clock) {
        this.clock = clock;
    }

    /** The http(s) OCSP responder URIs of the certificate's authority information access. */
    static List<URI> responders(X509Certificate cert) {
        byte[] v = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (v == null) return List.of();
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(v).getOctets());
            return Arrays.stream(aia.getAccessDescriptions())
                    .filter(d -> d.getAccessMethod().equals(AccessDescription.id_ad_ocsp))
                    .filter(d -> d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier)
                    .map(d -> d.getAccessLocation().getName().toString())
                    .map(OcspClient::httpUri).filter(u -> u != null).toList();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static URI httpUri(String s) {
        try {
            URI u = new URI(s);
            return "http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null ? u : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    RevocationResult status(URI responder, X509Certificate leaf, X509Certificate issuer) {
        String key = responder + " " + thumbprint(issuer.getPublicKey().getEncoded()) + " " + leaf.getSerialNumber().toString(16);
        Instant now = clock.instant();
        Cached c = answers.get(key);
        if (c != null && now.isBefore(c.until)) return c.result;
        Instant down = downUntil.get(responder.toString());
        if (down != null && now.isBefore(down)) {
            return RevocationResult.unavailable("OCSP responder " + responder + " failed less than "
                    + RETRY_AFTER_FAILURE.toSeconds() + " s ago; not asked again yet");
        }
        CertificateID id;
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        byte[] request;
        try {
            id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
            OCSPReq req = new OCSPReqBuilder().addRequest(id)
                    .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                            new DEROctetString(nonce))))
                    .build();
            request = req.getEncoded();
        } catch (OCSPException | OperatorCreationException | GeneralSecurityException | IOException e) {
            return RevocationResult.unavailable("cannot build an OCSP request: " + e.getMessage());
        }
        byte[] answer;
        try {
            answer = Http.post(responder, "application/ocsp-request", request, "application/ocsp-response", Http.MAX_OCSP_RESPONSE_BYTES);
        } catch (IOException | RuntimeException e) {
            downUntil.put(responder.toString(), now.plus(RETRY_AFTER_FAILURE));
            String why = "OCSP responder " + responder + " not reachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            LOG.warning(why);
            return RevocationResult.unavailable(why);
        }
        downUntil.remove(responder.toString());
        Answer a = interpret(responder, answer, id, nonce, issuer, clock.instant());
        if (a.cacheUntil != null) {
            if (answers.size() >= MAX_CACHED) answers.clear();
            answers.put(key, new Cached(a.result, a.cacheUntil));
        }
        return a.result;
    }

    /** A result and, for a GOOD or REVOKED answer, how long it may be cached. */
    private record Answer(RevocationResult result, Instant cacheUntil) {
        static Answer unavailable(String why) {
            return new Answer(RevocationResult.unavailable(why), null);
        }
    }

    private Answer interpret(URI responder, byte[] bytes, CertificateID id, byte[] nonce,
            X509Certificate issuer, Instant now) {
        String who = "OCSP responder " + responder;
        try {
            OCSPResp resp = new OCSPResp(bytes);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                return Answer.unavailable(who + " answered with error status " + resp.getStatus());
            }
            if (!(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
                return Answer.unavailable(who + " answered with an unsupported response type");
            }
            String signer = signer(basic, issuer, now);
            if (signer == null) {
                return Answer.unavailable(who + ": response not signed by the issuing CA nor by an OCSP responder it delegated");
            }
            Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (echoed != null) {
                byte[] v = echoed.getExtnValue().getOctets();
                if (!MessageDigest.isEqual(v, new DEROctetString(nonce).getEncoded()) && !MessageDigest.isEqual(v, nonce)) {
                    return Answer.unavailable(who + ": response nonce does not match the request");
                }
            }
            SingleResp single = null;
            for (SingleResp s : basic.getResponses()) {
                if (s.getCertID().equals(id)) single = s;
            }
            if (single == null) return Answer.unavailable(who + ": response is not about the certificate asked for");
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(Crl.SKEW))) {
                return Answer.unavailable(who + ": response thisUpdate " + thisUpdate + " is in the future");
            }
            if (nextUpdate != null && !now.isBefore(nextUpdate)) {
                return Answer.unavailable(who + ": response is stale (nextUpdate " + nextUpdate + ")");
            }
            if (nextUpdate == null && thisUpdate.isBefore(now.minus(MAX_AGE_WITHOUT_NEXT_UPDATE))) {
                return Answer.unavailable(who + ": response without nextUpdate is too old (thisUpdate " + thisUpdate + ")");
            }
            Instant cacheUntil = nextUpdate != null ? nextUpdate : now.plus(CACHE_WITHOUT_NEXT_UPDATE);
            String source = "OCSP " + responder + " (" + signer + ")";
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) return new Answer(RevocationResult.good(source), cacheUntil);
            if (status instanceof RevokedStatus rs) {
                String reason = rs.hasRevocationReason() ? Crl.reasonName(rs.getRevocationReason()) : "unspecified";
                return new Answer(RevocationResult.revoked(reason, rs.getRevocationTime().toInstant(), source), cacheUntil);
            }
            if (status instanceof UnknownStatus) return Answer.unavailable(who + " does not know the certificate (status unknown)");
            return Answer.unavailable(who + ": unsupported certificate status");
        } catch (IOException | OCSPException | RuntimeException e) {
            return Answer.unavailable(who + ": response not readable: " + e.getMessage());
        }
    }

    /** "signed by the CA" or "signed by a delegated responder", or null when neither verifies. */
    private static String signer(BasicOCSPResp basic, X509Certificate issuer, Instant now) {
        try {
            if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) return "signed by the CA";
        } catch (OCSPException | OperatorCreationException e) {
            // try the delegated responders
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder h : basic.getCerts()) {
            try {
                X509Certificate rc = converter.getCertificate(h);
                if (!rc.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) continue;
                rc.verify(issuer.getPublicKey());
                rc.checkValidity(java.util.Date.from(now));
                List<String> eku = rc.getExtendedKeyUsage();
                if (eku == null || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) continue;
                if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(rc.getPublicKey()))) {
                    return "signed by a delegated responder";
                }
            } catch (GeneralSecurityException | OCSPException | OperatorCreationException | RuntimeException e) {
                // not this one
            }
        }
        return null;
    }

    private static String thumbprint(byte[] der) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
