package be.idsvc.revocation;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;

/**
 * A CRL verified against its CA and parsed once: the revoked serial numbers indexed in a map, so a
 * look-up on the token path costs a hash probe.
 */
final class Crl {
    /** Clock skew tolerated on thisUpdate. */
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final Set<String> ALLOWED_CRITICAL = Set.of(Extension.issuingDistributionPoint.getId());

    final String source;
    final X500Principal issuer;
    final PublicKey caKey;
    final Instant thisUpdate;
    final Instant nextUpdate;
    /** The distribution point URIs this CRL is limited to (its IDP); empty: every certificate of the CA. */
    final Set<String> scope;
    private final Map<BigInteger, RevocationResult> revoked;

    private Crl(String source, X509CRL crl, PublicKey caKey, Set<String> scope) {
        this.source = source;
        this.issuer = crl.getIssuerX500Principal();
        this.caKey = caKey;
        this.thisUpdate = crl.getThisUpdate().toInstant();
        this.nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        this.scope = scope;
        Map<BigInteger, RevocationResult> m = new HashMap<>();
        if (crl.getRevokedCertificates() != null) {
            for (X509CRLEntry e : crl.getRevokedCertificates()) {
                String reason = e.getRevocationReason() == null ? "unspecified" : reasonName(e.getRevocationReason().ordinal());
                if ("removeFromCRL".equals(reason)) continue;
                m.put(e.getSerialNumber(), RevocationResult.revoked(reason, e.getRevocationDate().toInstant(), source));
            }
        }
        this.revoked = Map.copyOf(m);
    }

    /** Parses DER or PEM ({@code -----BEGIN X509 CRL-----}). */
    static X509CRL parse(byte[] bytes) throws CRLException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CRL verified against {@code ca}; throws with the reason when it is not usable. */
    static Crl verified(String source, X509CRL crl, X509Certificate ca) throws GeneralSecurityException {
        if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new GeneralSecurityException("issued by " + crl.getIssuerX500Principal().getName() + ", not by the CA");
        }
        boolean[] ku = ca.getKeyUsage();
        if (ku != null && (ku.length < 7 || !ku[6])) throw new GeneralSecurityException("the CA's key usage does not allow CRL signing");
        crl.verify(ca.getPublicKey());
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null) {
            for (String oid : critical) {
                if (!ALLOWED_CRITICAL.contains(oid)) {
                    throw new GeneralSecurityException(Extension.deltaCRLIndicator.getId().equals(oid)
                            ? "delta CRLs are not supported" : "unsupported critical extension " + oid);
                }
            }
        }
        if (crl.getRevokedCertificates() != null) {
            for (X509CRLEntry e : crl.getRevokedCertificates()) {
                if (e.getCriticalExtensionOIDs() != null && !e.getCriticalExtensionOIDs().isEmpty()) {
                    throw new GeneralSecurityException("indirect CRLs and critical entry extensions are not supported");
                }
            }
        }
        return new Crl(source, crl, ca.getPublicKey(), scope(crl));
    }

    private static Set<String> scope(X509CRL crl) throws GeneralSecurityException {
        byte[] v = crl.getExtensionValue(Extension.issuingDistributionPoint.getId());
        if (v == null) return Set.of();
        IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(ASN1OctetString.getInstance(v).getOctets());
        if (idp.onlyContainsCACerts() || idp.onlyContainsAttributeCerts()) {
            throw new GeneralSecurityException("the CRL does not cover end-entity certificates");
        }
        if (idp.getOnlySomeReasons() != null) throw new GeneralSecurityException("CRLs limited to some reasons are not supported");
        if (idp.isIndirectCRL()) throw new GeneralSecurityException("indirect CRLs are not supported");
        return Set.copyOf(uris(idp.getDistributionPoint()));
    }

    /** Whether this CRL covers a certificate with these CRL distribution point URIs. */
    boolean covers(List<String> certificateCdpUris) {
        return scope.isEmpty() || certificateCdpUris.stream().anyMatch(scope::contains);
    }

    boolean issuedBy(X509Certificate ca) {
        return issuer.equals(ca.getSubjectX500Principal()) && caKey.equals(ca.getPublicKey());
    }

    boolean isCurrent(Instant now) {
        return (nextUpdate == null || now.isBefore(nextUpdate)) && !thisUpdate.isAfter(now.plus(SKEW));
    }

    /** REVOKED or GOOD when current; UNAVAILABLE when expired (or not yet valid). */
    RevocationResult status(BigInteger serial, Instant now) {
        if (nextUpdate != null && !now.isBefore(nextUpdate)) {
            return RevocationResult.unavailable(source + " expired (nextUpdate " + nextUpdate + ")");
        }
        if (thisUpdate.isAfter(now.plus(SKEW))) {
            return RevocationResult.unavailable(source + " is not valid yet (thisUpdate " + thisUpdate + ")");
        }
        RevocationResult r = revoked.get(serial);
        return r != null ? r : RevocationResult.good(source);
    }

    int revokedCount() {
        return revoked.size();
    }

    /** The URIs of a certificate's CRL distribution points (any scheme), in order. */
    static List<String> distributionPoints(X509Certificate cert) {
        byte[] v = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        try {
            CRLDistPoint cdp = CRLDistPoint.getInstance(ASN1OctetString.getInstance(v).getOctets());
            for (DistributionPoint dp : cdp.getDistributionPoints()) {
                if (dp.getCRLIssuer() != null) continue; // indirect: not supported
                out.addAll(uris(dp.getDistributionPoint()));
            }
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return out;
    }

    /** The http URIs among a certificate's CRL distribution points. */
    static List<URI> httpDistributionPoints(X509Certificate cert) {
        List<URI> out = new ArrayList<>();
        for (String s : distributionPoints(cert)) {
            try {
                URI u = new URI(s);
                if ("http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null) out.add(u);
            } catch (java.net.URISyntaxException e) {
                // not usable
            }
        }
        return out;
    }

    private static List<String> uris(DistributionPointName name) {
        List<String> out = new ArrayList<>();
        if (name == null || name.getType() != DistributionPointName.FULL_NAME) return out;
        for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
            if (g.getTagNo() == GeneralName.uniformResourceIdentifier) out.add(g.getName().toString());
        }
        return out;
    }

    /** RFC 5280 §5.3.1 reason names. */
    static String reasonName(int code) {
        return switch (code) {
            case 1 -> "keyCompromise";
            case 2 -> "cACompromise";
            case 3 -> "affiliationChanged";
            case 4 -> "superseded";
            case 5 -> "cessationOfOperation";
            case 6 -> "certificateHold";
            case 8 -> "removeFromCRL";
            case 9 -> "privilegeWithdrawn";
            case 10 -> "aACompromise";
            default -> "unspecified";
        };
    }
}
