package be.idsvc.eid.virtual;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import be.idsvc.eid.CardNumber;
import be.idsvc.eid.Readout;
import be.idsvc.eid.ReadoutRejected;

/**
 * Issues virtual Belgian eID cards: complete readouts, byte-compatible with what BeIDConnect posts
 * for a real card, signed by a demo "National Register" key instead of the real one.
 *
 * <p>For the sandbox (test persons for client developers) and for tests. A verifier accepts these
 * cards only if it is configured to trust the demo root, which production configuration never
 * does. The issuer writes whatever it is given, invalid national numbers and broken TLV included,
 * because tests need such cards; the sandbox validates its configuration itself.
 */
public final class VirtualCardIssuer {
    public enum KeyType { RSA_2048, EC_P384 }
    /**
     * The policies of Belgium Root CA4's citizen CA and its authentication certificates, which the
     * demo authorities carry so that their cards also pass the production certificate rules where a
     * test trusts them outside a sandbox (docs/beid-readout.md "Trust").
     */
    public static final String DEMO_CITIZEN_CA_POLICY = "2.16.56.12.1.1.2", DEMO_AUTH_POLICY = "2.16.56.12.1.1.2.2";

    /** Photo hash algorithm written in identity tag 17 (the verifier picks it by length). */
    public enum PhotoHash {
        SHA1("SHA-1"), SHA256("SHA-256"), SHA384("SHA-384");

        final String jca;

        PhotoHash(String jca) {
            this.jca = jca;
        }
    }

    /** A key and its certificate: a demo root, a demo RRN, a demo citizen CA. */
    public record Authority(X509Certificate certificate, PrivateKey privateKey) {
        public Authority {
            Objects.requireNonNull(certificate);
            Objects.requireNonNull(privateKey);
        }
    }

    /** A card and the secret only the card would have: its authentication key, to sign challenges as if the PIN were typed. */
    public record IssuedCard(Readout readout, X509Certificate authenticationCertificate, PrivateKey authenticationKey) {
        /** The card's signature over the raw challenge bytes: SHA256withRSA, or SHA256withECDSA (DER). */
        public byte[] signChallenge(byte[] challenge) {
            return sign(authenticationKey, authenticationKey instanceof ECKey ? "SHA256withECDSA" : "SHA256withRSA", challenge);
        }

        /** The readout as posted after the card signed this challenge. */
        public Readout readoutSigning(byte[] challenge) throws ReadoutRejected {
            return readout.withAuthSignature(signChallenge(challenge));
        }
    }

    /** Demo certificates are valid across the whole range tests and sandboxes use. */
    private static final Instant DEMO_NOT_BEFORE = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant DEMO_NOT_AFTER = Instant.parse("2099-12-31T23:59:59Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Authority rrn;
    private final Authority citizenCa;

    /** @param citizenCa issues authentication certificates; null for cards without one (like some Kids-ID cards) */
    public VirtualCardIssuer(Authority rrn, Authority citizenCa) {
        this.rrn = Objects.requireNonNull(rrn);
        this.citizenCa = citizenCa;
    }

    // ---- demo authorities ----

    public static KeyPair generateKey(KeyType type) {
        try {
            if (type == KeyType.RSA_2048) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, RANDOM);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + type, e);
        }
    }

    /** A self-signed demo root, e.g. {@code "CN=Demo eID Root CA, C=BE"}. Names are RFC 2253 strings, as
     * {@link X500Principal} and {@code EidTrust} read them (most specific first). */
    public static Authority demoRoot(String subject, KeyType type) {
        return demoRoot(subject, generateKey(type));
    }

    /** A self-signed demo root with a given key (tests use it to make a look-alike root: same name, other key). */
    public static Authority demoRoot(String subject, KeyPair key) {
        X500Name name = name(subject);
        X509Certificate cert = certificate(name, key.getPublic(), name, key.getPrivate(), DEMO_NOT_BEFORE, DEMO_NOT_AFTER,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), true, null);
        return new Authority(cert, key.getPrivate());
    }

    /** A demo National Register certificate under {@code root}: key usage digitalSignature + nonRepudiation, like the real one. */
    public static Authority demoRrn(Authority root, String subject, KeyType type) {
        KeyPair key = generateKey(type);
        X509Certificate cert = certificate(name(subject), key.getPublic(), issuerName(root), root.privateKey(),
                DEMO_NOT_BEFORE, DEMO_NOT_AFTER, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation), false, null);
        return new Authority(cert, key.getPrivate());
    }

    /** A demo citizen CA under {@code root}, issuing authentication certificates, with policy {@link #DEMO_CITIZEN_CA_POLICY}. */
    public static Authority demoCitizenCa(Authority root, String subject, KeyType type) {
        return demoCitizenCa(root, subject, type, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), DEMO_CITIZEN_CA_POLICY);
    }

    /** A demo citizen CA with the given key usage and policy OID (null: no policies extension), for tests of the trust rules. */
    public static Authority demoCitizenCa(Authority root, String subject, KeyType type, KeyUsage usage, String policy) {
        KeyPair key = generateKey(type);
        X509Certificate cert = certificate(name(subject), key.getPublic(), issuerName(root), root.privateKey(),
                DEMO_NOT_BEFORE, DEMO_NOT_AFTER, usage, true, policy);
        return new Authority(cert, key.getPrivate());
    }

    /** A national number with a valid checksum for a birth date and sequence (odd for men, even for women). */
    public static String nationalNumber(LocalDate birth, int sequence) {
        String body = String.format(Locale.ROOT, "%02d%02d%02d%03d", birth.getYear() % 100, birth.getMonthValue(),
                birth.getDayOfMonth(), sequence);
        long n = Long.parseLong(body) + (birth.getYear() >= 2000 ? 2_000_000_000L : 0);
        return body + String.format(Locale.ROOT, "%02d", 97 - n % 97);
    }

    // ---- cards ----

    public IssuedCard issue(VirtualPerson person) throws ReadoutRejected {
        return issue(person, new CardOptions());
    }

    public IssuedCard issue(VirtualPerson person, CardOptions options) throws ReadoutRejected {
        byte[] identity = identityFile(person, options);
        byte[] address = addressFile(person, options.addressFileSize);
        X509Certificate authCert = null;
        PrivateKey authKey = null;
        if (citizenCa != null) {
            KeyPair key = generateKey(options.authenticationKey);
            authCert = authenticationCertificate(person, options, key.getPublic());
            authKey = key.getPrivate();
        }
        Readout readout = signFiles(identity, address, person.photo(), authCert, options);
        return new IssuedCard(readout, authCert, authKey);
    }

    /**
     * Signs given card files as the National Register would and assembles the readout. For tests
     * that need structurally broken but correctly signed files.
     */
    public Readout signFiles(byte[] identity, byte[] address, byte[] photo, X509Certificate authCert, CardOptions options)
            throws ReadoutRejected {
        byte[] identitySignature = fileSignature(options, identity);
        int unpadded = address.length;
        while (unpadded > 0 && address[unpadded - 1] == 0) unpadded--;
        byte[] addressSignature = fileSignature(options, Arrays.copyOf(address, unpadded), identitySignature);
        return new Readout(identity, address, photo, identitySignature, addressSignature,
                certificateFile(rrn.certificate(), options),
                authCert == null ? null : certificateFile(authCert, options),
                null,
                citizenCa == null ? null : certificateFile(citizenCa.certificate(), options),
                null, null);
    }

    /** The identity file: every tag in card order, tag 0 first when asked, photo hash in tag 17. */
    public static byte[] identityFile(VirtualPerson p, CardOptions options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (options.fileStructureVersionTag) tlv(out, 0, new byte[] {0x01});
        tlv(out, 1, p.cardNumber());
        tlv(out, 2, p.chipNumber());
        tlv(out, 3, cardDate(p.validityBegin()));
        tlv(out, 4, cardDate(p.validityEnd()));
        tlv(out, 5, p.deliveryMunicipality());
        tlv(out, 6, p.nationalNumber());
        tlv(out, 7, p.surname());
        tlv(out, 8, p.givenNames());
        tlv(out, 9, p.thirdGivenNameInitial());
        tlv(out, 10, p.nationality());
        tlv(out, 11, p.placeOfBirth());
        tlv(out, 12, p.birthDate());
        tlv(out, 13, p.gender());
        tlv(out, 14, p.nobleCondition());
        tlv(out, 15, p.documentType());
        tlv(out, 16, Integer.toString(p.specialStatus()));
        tlv(out, 17, digest(options.photoHash.jca, p.photo()));
        return out.toByteArray();
    }

    /** The address file, zero-padded to {@code size} bytes like the card's fixed-size file. */
    public static byte[] addressFile(VirtualPerson p, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tlv(out, 1, p.streetAndNumber());
        tlv(out, 2, p.postalCode());
        tlv(out, 3, p.municipality());
        byte[] content = out.toByteArray();
        return content.length >= size ? content : Arrays.copyOf(content, size);
    }

    /** Tag, length in 7-bit groups (high bit = more follows), value. */
    public static void tlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        int length = value.length;
        int groups = 1;
        while ((length >>> (7 * groups)) != 0) groups++;
        for (int g = groups - 1; g >= 0; g--) {
            int bits = (length >>> (7 * g)) & 0x7f;
            out.write(g > 0 ? bits | 0x80 : bits);
        }
        out.writeBytes(value);
    }

    private static void tlv(ByteArrayOutputStream out, int tag, String value) {
        tlv(out, tag, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String cardDate(LocalDate d) {
        return String.format(Locale.ROOT, "%02d.%02d.%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear());
    }

    private X509Certificate authenticationCertificate(VirtualPerson p, CardOptions o, PublicKey key) {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "BE")
                .addRDN(BCStyle.CN, firstName(p.givenNames()) + " " + p.surname() + " (Authentication)");
        if (o.surnameRdn) subject.addRDN(BCStyle.SURNAME, p.surname());
        subject.addRDN(BCStyle.GIVENNAME, p.givenNames());
        subject.addRDN(BCStyle.SERIALNUMBER, o.authCertificateNationalNumber != null ? o.authCertificateNationalNumber : p.nationalNumber());
        if (o.extraSerialNumber != null) subject.addRDN(BCStyle.SERIALNUMBER, o.extraSerialNumber);
        Instant begin = (o.authCertificateBegin != null ? o.authCertificateBegin : p.validityBegin()).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = (o.authCertificateEnd != null ? o.authCertificateEnd : p.validityEnd()).atStartOfDay(ZoneOffset.UTC).toInstant();
        return certificate(subject.build(), key, issuerName(citizenCa), citizenCa.privateKey(), begin, end,
                new KeyUsage(KeyUsage.digitalSignature), false, o.authCertificatePolicy);
    }

    private static String firstName(String givenNames) {
        int space = givenNames.indexOf(' ');
        return space < 0 ? givenNames : givenNames.substring(0, space);
    }

    private byte[] fileSignature(CardOptions o, byte[]... parts) {
        if (rrn.privateKey() instanceof ECKey) {
            byte[] der = sign(rrn.privateKey(), "SHA384withECDSA", parts);
            // real EC cards store the DER signature in a 256-byte zero-padded file
            return o.padSignatures ? Arrays.copyOf(der, 256) : der;
        }
        return sign(rrn.privateKey(), o.rsaFileSignatureHash.equals("SHA-1") ? "SHA1withRSA" : "SHA256withRSA", parts);
    }

    private static byte[] certificateFile(X509Certificate cert, CardOptions o) {
        try {
            byte[] der = cert.getEncoded();
            // card certificate files are fixed-size and zero-padded
            return o.padCertificates ? Arrays.copyOf(der, der.length + 200) : der;
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static X500Name issuerName(Authority a) {
        return X500Name.getInstance(a.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate certificate(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, KeyUsage usage, boolean ca, String policy) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, key);
            b.addExtension(Extension.keyUsage, true, usage);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (policy != null) {
                b.addExtension(Extension.certificatePolicies, false, new org.bouncycastle.asn1.x509.CertificatePolicies(
                        new org.bouncycastle.asn1.x509.PolicyInformation(new org.bouncycastle.asn1.ASN1ObjectIdentifier(policy))));
            }
            String alg = issuerKey instanceof ECKey ? "SHA384withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot issue a demo certificate", e);
        }
    }

    private static byte[] sign(PrivateKey key, String algorithm, byte[]... parts) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            for (byte[] p : parts) s.update(p);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid 12-digit card number for a serial (the sandbox numbers its cards). */
    public static String cardNumber(long serial) {
        return CardNumber.withCheck(String.format(Locale.ROOT, "%010d", serial));
    }
}
