package be.idsvc.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes X.509 certificates with Bouncy Castle: certificate authorities, TLS server certificates,
 * CA-issued and self-signed TLS client certificates. Used by the demo home and by tests (which
 * make extra CAs, expired or not-yet-valid certificates, RSA keys...), so validity and key type are
 * parameters; {@link #customize} hooks in anything else (extra extensions).
 *
 * <p>Subject DNs are RFC 4514 / RFC 2253 strings as Java writes them ({@code CN=x,O=y,C=BE}) and
 * are encoded by {@link X500Principal}, so {@code getSubjectX500Principal().getName()} gives back the
 * same string.
 */
public final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Key algorithms for new key pairs. */
    public enum KeyType {
        EC_P256, EC_P384, RSA_2048, RSA_3072;

        public KeyPair generate() {
            try {
                KeyPairGenerator g;
                switch (this) {
                    case EC_P256 -> { g = KeyPairGenerator.getInstance("EC"); g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM); }
                    case EC_P384 -> { g = KeyPairGenerator.getInstance("EC"); g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM); }
                    case RSA_2048 -> { g = KeyPairGenerator.getInstance("RSA"); g.initialize(2048, RANDOM); }
                    case RSA_3072 -> { g = KeyPairGenerator.getInstance("RSA"); g.initialize(3072, RANDOM); }
                    default -> throw new IllegalStateException(name());
                }
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate a " + this + " key pair", e);
            }
        }
    }

    /** A certificate, its private key and its chain (the certificate first, then its issuers, root last). */
    public record Issued(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
        public Issued {
            Objects.requireNonNull(certificate);
            Objects.requireNonNull(privateKey);
            chain = List.copyOf(chain);
        }

        public KeyPair keyPair() {
            return new KeyPair(certificate.getPublicKey(), privateKey);
        }

        public String subjectDn() {
            return certificate.getSubjectX500Principal().getName();
        }

        /** PEM text of the chain (certificate first). */
        public String chainPem() {
            return Pem.encode(chain.toArray());
        }

        /** PEM text of the certificate alone. */
        public String certificatePem() {
            return Pem.encode(certificate);
        }

        /** PEM text of the private key (PKCS#8). */
        public String privateKeyPem() {
            return Pem.encode(privateKey);
        }
    }

    /** What to put in a certificate. Build with the static factories and the {@code with...} methods. */
    public record Spec(String subjectDn, Instant notBefore, Instant notAfter, KeyType keyType, boolean ca,
            Integer pathLength, List<KeyPurposeId> extendedKeyUsages, List<String> dnsNames,
            List<String> ipAddresses, Consumer<X509v3CertificateBuilder> customize) {
        public Spec {
            Objects.requireNonNull(subjectDn, "subjectDn");
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(keyType, "keyType");
            extendedKeyUsages = List.copyOf(extendedKeyUsages);
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }

        /** An end-entity certificate valid from an hour ago for {@code validity}, EC P-256. */
        public static Spec endEntity(String subjectDn, Duration validity) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            return new Spec(subjectDn, now.minus(1, ChronoUnit.HOURS), now.plus(validity), KeyType.EC_P256, false,
                    null, List.of(), List.of(), List.of(), null);
        }

        public Spec withValidity(Instant from, Instant to) {
            return new Spec(subjectDn, from, to, keyType, ca, pathLength, extendedKeyUsages, dnsNames, ipAddresses, customize);
        }

        public Spec withKeyType(KeyType type) {
            return new Spec(subjectDn, notBefore, notAfter, type, ca, pathLength, extendedKeyUsages, dnsNames, ipAddresses, customize);
        }

        public Spec asCa(Integer pathLen) {
            return new Spec(subjectDn, notBefore, notAfter, keyType, true, pathLen, extendedKeyUsages, dnsNames, ipAddresses, customize);
        }

        public Spec withExtendedKeyUsages(KeyPurposeId... ekus) {
            return new Spec(subjectDn, notBefore, notAfter, keyType, ca, pathLength, List.of(ekus), dnsNames, ipAddresses, customize);
        }

        public Spec withSubjectAltNames(List<String> dns, List<String> ips) {
            return new Spec(subjectDn, notBefore, notAfter, keyType, ca, pathLength, extendedKeyUsages, dns, ips, customize);
        }

        public Spec customize(Consumer<X509v3CertificateBuilder> hook) {
            return new Spec(subjectDn, notBefore, notAfter, keyType, ca, pathLength, extendedKeyUsages, dnsNames, ipAddresses, hook);
        }
    }

    private CertificateIssuer() {}

    /** Default validity of the demo material. */
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(825);

    // ---- convenience -----------------------------------------------------------------------

    /** A self-signed root CA, EC P-256, valid ten years. */
    public static Issued certificateAuthority(String subjectDn) {
        return issue(Spec.endEntity(subjectDn, DEFAULT_CA_VALIDITY).asCa(null), null);
    }

    /** A self-signed root CA with the given validity and key type. */
    public static Issued certificateAuthority(String subjectDn, Instant notBefore, Instant notAfter, KeyType keyType) {
        return issue(Spec.endEntity(subjectDn, DEFAULT_CA_VALIDITY).asCa(null).withValidity(notBefore, notAfter).withKeyType(keyType), null);
    }

    /** A TLS server certificate for {@code localhost} / {@code 127.0.0.1} issued by {@code ca}, EC P-256. */
    public static Issued localhostServer(Issued ca) {
        return server(ca, "CN=localhost", List.of("localhost"), List.of("127.0.0.1"),
                Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(DEFAULT_VALIDITY), KeyType.EC_P256);
    }

    /** A TLS server certificate (EKU serverAuth) with the given DNS and IP subject alternative names. */
    public static Issued server(Issued ca, String subjectDn, List<String> dnsNames, List<String> ipAddresses,
            Instant notBefore, Instant notAfter, KeyType keyType) {
        return issue(Spec.endEntity(subjectDn, DEFAULT_VALIDITY).withValidity(notBefore, notAfter).withKeyType(keyType)
                .withExtendedKeyUsages(KeyPurposeId.id_kp_serverAuth).withSubjectAltNames(dnsNames, ipAddresses), ca);
    }

    /** A TLS client certificate (EKU clientAuth) issued by {@code ca}, EC P-256, valid 825 days. */
    public static Issued client(Issued ca, String subjectDn) {
        return client(ca, subjectDn, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(DEFAULT_VALIDITY), KeyType.EC_P256);
    }

    /** A TLS client certificate (EKU clientAuth) issued by {@code ca}. */
    public static Issued client(Issued ca, String subjectDn, Instant notBefore, Instant notAfter, KeyType keyType) {
        return issue(clientSpec(subjectDn, notBefore, notAfter, keyType), Objects.requireNonNull(ca, "ca"));
    }

    /** A self-signed TLS client certificate (EKU clientAuth, not a CA), EC P-256, valid 825 days. */
    public static Issued selfSignedClient(String subjectDn) {
        return selfSignedClient(subjectDn, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(DEFAULT_VALIDITY), KeyType.EC_P256);
    }

    /** A self-signed TLS client certificate (EKU clientAuth, not a CA). */
    public static Issued selfSignedClient(String subjectDn, Instant notBefore, Instant notAfter, KeyType keyType) {
        return issue(clientSpec(subjectDn, notBefore, notAfter, keyType), null);
    }

    private static Spec clientSpec(String subjectDn, Instant notBefore, Instant notAfter, KeyType keyType) {
        return Spec.endEntity(subjectDn, DEFAULT_VALIDITY).withValidity(notBefore, notAfter).withKeyType(keyType)
                .withExtendedKeyUsages(KeyPurposeId.id_kp_clientAuth);
    }

    // ---- general ---------------------------------------------------------------------------

    /** Issues a certificate per {@code spec} with a fresh key pair; self-signed when {@code issuer} is null. */
    public static Issued issue(Spec spec, Issued issuer) {
        return issue(spec, spec.keyType().generate(), issuer);
    }

    /** Issues a certificate per {@code spec} for an existing key pair; self-signed when {@code issuer} is null. */
    public static Issued issue(Spec spec, KeyPair subjectKeys, Issued issuer) {
        try {
            X500Principal subject = new X500Principal(spec.subjectDn());
            X500Principal issuerName = issuer == null ? subject : issuer.certificate().getSubjectX500Principal();
            PrivateKey signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.privateKey();
            PublicKey issuerPublicKey = issuer == null ? subjectKeys.getPublic() : issuer.certificate().getPublicKey();
            BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);

            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial,
                    Date.from(spec.notBefore()), Date.from(spec.notAfter()), subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublicKey));
            if (spec.ca()) {
                b.addExtension(Extension.basicConstraints, true,
                        spec.pathLength() == null ? new BasicConstraints(true) : new BasicConstraints(spec.pathLength()));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                int usage = KeyUsage.digitalSignature;
                if ("RSA".equals(subjectKeys.getPublic().getAlgorithm())) usage |= KeyUsage.keyEncipherment;
                b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            }
            if (!spec.extendedKeyUsages().isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(spec.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            }
            List<GeneralName> sans = new ArrayList<>();
            for (String dns : spec.dnsNames()) sans.add(new GeneralName(GeneralName.dNSName, dns));
            for (String ip : spec.ipAddresses()) sans.add(new GeneralName(GeneralName.iPAddress, ipLiteral(ip)));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            if (spec.customize() != null) spec.customize().accept(b);

            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey)));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            if (issuer != null) chain.addAll(issuer.chain());
            return new Issued(cert, subjectKeys.getPrivate(), chain);
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + spec.subjectDn(), e);
        }
    }

    /** SHA-256 (SHA-384 for P-384) with the algorithm of the signing key. */
    public static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> key instanceof java.security.interfaces.ECPrivateKey ec
                    && ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    private static String ipLiteral(String ip) {
        try {
            // validates without DNS: InetAddress.getByName does no lookup for a literal
            if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) throw new IllegalArgumentException("not an IP address: " + ip);
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }
}
