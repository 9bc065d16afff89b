package be.idsvc.eid;

import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;

/**
 * The certificate policies of the Belgian eID PKI that production homes require
 * (docs/beid-readout.md "Trust"; the same lists as Fedict's jTrust).
 *
 * <ul>
 * <li>An <b>authentication certificate</b> must carry one of the authentication policies its card CA
 * issues under: {@code 2.16.56.{1,9,10,12}.1.1.2.2} (citizens) and {@code .7.2} (foreigners) under
 * Belgium Root CA to CA4, {@code 2.16.56.13.6.1.1.1000} under Root CA6.
 * <li>The <b>card CA</b> that issued it (the configured citizen CA, or the card's own {@code cacert})
 * must carry a Belgian policy (under {@code 2.16.56}) or anyPolicy, as Citizen CA 202002 does.
 * </ul>
 * A certificate that merely chains to a configured anchor but was issued for another purpose (a
 * test CA's, another government PKI's) is thereby refused even if an admin trusts its root.
 */
final class BelgianCertificatePolicies {
    static final Set<String> AUTHENTICATION = Set.of(
            "2.16.56.1.1.1.2.2", "2.16.56.1.1.1.7.2",
            "2.16.56.9.1.1.2.2", "2.16.56.9.1.1.7.2",
            "2.16.56.10.1.1.2.2", "2.16.56.10.1.1.7.2",
            "2.16.56.12.1.1.2.2", "2.16.56.12.1.1.7.2",
            "2.16.56.13.6.1.1.1000");
    static final String BELGIAN_ARC = "2.16.56.";
    static final String ANY_POLICY = "2.5.29.32.0";

    private BelgianCertificatePolicies() {}

    static boolean isAuthenticationCertificate(X509Certificate auth) {
        return policies(auth).stream().anyMatch(AUTHENTICATION::contains);
    }

    static boolean isBelgianCa(X509Certificate ca) {
        return policies(ca).stream().anyMatch(p -> p.equals(ANY_POLICY) || p.startsWith(BELGIAN_ARC));
    }

    /** The policy OIDs of the certificate; empty without the extension, or when it cannot be read. */
    static Set<String> policies(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.certificatePolicies.getId());
        if (ext == null) return Set.of();
        try {
            CertificatePolicies cp = CertificatePolicies.getInstance(
                    ASN1Sequence.getInstance(DEROctetString.getInstance(ext).getOctets()));
            Set<String> out = new HashSet<>();
            for (PolicyInformation p : cp.getPolicyInformation()) out.add(p.getPolicyIdentifier().getId());
            return out;
        } catch (RuntimeException e) {
            return Set.of();
        }
    }
}
