package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ServiceHome;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;
import be.idsvc.identify.SandboxCards;
import be.idsvc.pki.Pem;

/**
 * The eID anchors of a production (non-sandbox) home, issue 13 defect 12: the RRN subject is
 * required, CAs must be allowed to sign certificates, the card CA must carry a Belgian policy, a
 * certificate carrying a pinned anchor's key but not its bytes is refused, and the sandbox's demo
 * anchors are never trusted outside a sandbox.
 */
class EidProductionTrustTest {
    static final String RRN_DN = "CN=RRN, O=RRN, C=BE";
    static Authority root, rrn, citizenCa;
    static final byte[] CHALLENGE = new byte[32];

    @TempDir
    Path home;

    @BeforeAll
    static void pki() {
        root = VirtualCardIssuer.demoRoot("CN=Production-like Root, C=BE", KeyType.EC_P384);
        rrn = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.RSA_2048);
        citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=Production-like Citizen CA, C=BE", KeyType.EC_P384);
    }

    private void settings(String extra) throws Exception {
        Files.writeString(home.resolve("idsvc.properties"), "issuer=https://localhost:9443\npublic_base_url=https://localhost:8443\n"
                // these demo CAs run no OCSP responder
                + "eid.revocation.ocsp=false\n" + extra);
    }

    private void anchor(String relative, X509Certificate cert) throws Exception {
        Path f = home.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, Pem.encode(cert));
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + (long) (Math.random() * 100_000)));
    }

    private ReadoutVerifier verifier() {
        return new EidTrustConfig(ServiceHome.at(home), Clock.systemUTC()).verifier().orElseThrow();
    }

    private static String reason(ReadoutVerifier v, IssuedCard card) {
        return assertThrows(ReadoutRejected.class, () -> v.verify(card.readoutSigning(CHALLENGE), CHALLENGE, true)).reason().name();
    }

    @Test
    void aProductionLikeCardIsIdentified() throws Exception {
        settings("eid.rrn_subject=" + RRN_DN + "\n");
        anchor("trust/eid/rrn-ca/root.pem", root.certificate());
        anchor("trust/eid/citizen-ca/citizen.pem", citizenCa.certificate());
        IssuedCard card = new VirtualCardIssuer(rrn, citizenCa).issue(new VirtualPerson());
        assertTrue(verifier().verify(card.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
    }

    @Test
    void withoutEidRrnSubjectAProductionHomeRefusesEveryCard() throws Exception {
        settings("");
        anchor("trust/eid/rrn-ca/root.pem", root.certificate());
        anchor("trust/eid/citizen-ca/citizen.pem", citizenCa.certificate());
        IssuedCard card = new VirtualCardIssuer(rrn, citizenCa).issue(new VirtualPerson());
        assertEquals("RRN_CERT_SUBJECT", reason(verifier(), card));
        // a sandbox home may leave it out
        settings("eid.sandbox_virtual_cards=true\n");
        assertTrue(verifier().verify(card.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
    }

    @Test
    void aCaWithoutKeyCertSignIssuesNothing() throws Exception {
        settings("eid.rrn_subject=" + RRN_DN + "\n");
        // a citizen CA whose key usage allows signatures but not certificate signing
        Authority signerOnly = ca(root, "CN=Signer Only CA, C=BE", new KeyUsage(KeyUsage.digitalSignature), "2.16.56.12.1.1.2");
        anchor("trust/eid/rrn-ca/root.pem", root.certificate());
        anchor("trust/eid/citizen-ca/citizen.pem", signerOnly.certificate());
        assertEquals("AUTH_CERT_UNTRUSTED", reason(verifier(), new VirtualCardIssuer(rrn, signerOnly).issue(new VirtualPerson())));
        // the same through the card's cacert, with the root as citizen anchor
        Files.delete(home.resolve("trust/eid/citizen-ca/citizen.pem"));
        anchor("trust/eid/citizen-ca/root.pem", root.certificate());
        assertEquals("AUTH_CERT_UNTRUSTED", reason(verifier(), new VirtualCardIssuer(rrn, signerOnly).issue(new VirtualPerson())));
        // an RRN root that may not sign certificates
        Authority notACa = ca(null, "CN=Not A CA Root, C=BE", new KeyUsage(KeyUsage.digitalSignature), null);
        var rrnUnderIt = issue(name(RRN_DN), VirtualCardIssuer.generateKey(KeyType.RSA_2048),
                notACa, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation), false, null);
        anchor("trust/eid/rrn-ca/root.pem", notACa.certificate());
        anchor("trust/eid/citizen-ca/root.pem", citizenCa.certificate());
        assertEquals("RRN_CERT_UNTRUSTED", reason(verifier(), new VirtualCardIssuer(
                new Authority(rrnUnderIt.getKey(), rrnUnderIt.getValue()), citizenCa).issue(new VirtualPerson())));
    }

    @Test
    void aCardCaWithoutABelgianPolicyIsRefused() throws Exception {
        settings("eid.rrn_subject=" + RRN_DN + "\n");
        Authority foreignPolicy = ca(root, "CN=Other PKI CA, C=BE", new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), "1.3.6.1.4.1.99999.1");
        anchor("trust/eid/rrn-ca/root.pem", root.certificate());
        anchor("trust/eid/citizen-ca/citizen.pem", foreignPolicy.certificate());
        assertEquals("AUTH_CERT_POLICY", reason(verifier(), new VirtualCardIssuer(rrn, foreignPolicy).issue(new VirtualPerson())));
        Authority noPolicy = ca(root, "CN=No Policy CA, C=BE", new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), null);
        anchor("trust/eid/citizen-ca/citizen.pem", noPolicy.certificate());
        assertEquals("AUTH_CERT_POLICY", reason(verifier(), new VirtualCardIssuer(rrn, noPolicy).issue(new VirtualPerson())));
    }

    @Test
    void aCertificateCarryingAPinnedAnchorsKeyButNotItsBytesIsRefused() throws Exception {
        settings("eid.rrn_subject=" + RRN_DN + "\neid.sandbox_virtual_cards=true\n");
        // the RRN certificate itself is pinned (its root is not published)
        anchor("trust/eid/rrn-ca/rrn.pem", rrn.certificate());
        IssuedCard genuine = new VirtualCardIssuer(rrn, null).issue(new VirtualPerson());
        verifier().verify(genuine.readout(), null, false);
        // same key and name, but issued by someone else: any validity, key usage or name it claims is unproven
        Authority other = VirtualCardIssuer.demoRoot("CN=Someone Else, C=BE", KeyType.EC_P384);
        X509Certificate lookAlike = issue(name(RRN_DN), new KeyPair(rrn.certificate().getPublicKey(), rrn.privateKey()), other,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation), false, null).getKey();
        IssuedCard forged = new VirtualCardIssuer(new Authority(lookAlike, rrn.privateKey()), null).issue(new VirtualPerson());
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> verifier().verify(forged.readout(), null, false));
        assertEquals("RRN_CERT_UNTRUSTED", e.reason().name());
    }

    @Test
    void aDemoHomeSwitchedToProductionDoesNotTrustItsSandboxAnchors() throws Exception {
        DemoHome.create(new DemoHome.Options(home.resolve("demo-home"), home.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        Path demoHome = home.resolve("demo-home");
        SandboxCards cards = new SandboxCards(demoHome.resolve("sandbox/cards"));
        SandboxCards.Card card = cards.find(cards.all().get(0).id()).orElseThrow();
        EidTrustConfig sandbox = new EidTrustConfig(ServiceHome.at(demoHome), Clock.systemUTC());
        VerifiedCard asTest = sandbox.verifier().orElseThrow().verify(card.readout(), null, false);
        assertTrue(sandbox.isSandboxCard(asTest.rrnCertificate()), "in the sandbox: a test identity");

        Path settings = demoHome.resolve("idsvc.properties");
        Files.writeString(settings, Files.readString(settings).replaceAll("(?m)^eid\\.sandbox_virtual_cards=.*$", "eid.sandbox_virtual_cards=false"));
        Optional<ReadoutVerifier> production = new EidTrustConfig(ServiceHome.at(demoHome), Clock.systemUTC()).verifier();
        assertFalse(production.isPresent(), "no anchor but the sandbox's: no eID readout at all");
    }

    // ---- a CA with a chosen key usage and policy, built without the helpers under test ----

    private static Authority ca(Authority issuer, String subject, KeyUsage usage, String policy) throws Exception {
        KeyPair key = VirtualCardIssuer.generateKey(KeyType.EC_P384);
        var issued = issue(name(subject), key, issuer, usage, true, policy);
        return new Authority(issued.getKey(), key.getPrivate());
    }

    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc2253).getEncoded());
    }

    /** The certificate and the subject's private key. */
    private static java.util.Map.Entry<X509Certificate, PrivateKey> issue(X500Name subject, KeyPair key, Authority issuer, KeyUsage usage,
            boolean ca, String policy) throws Exception {
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        PrivateKey signer = issuer == null ? key.getPrivate() : issuer.privateKey();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.parse("2020-01-01T00:00:00Z")), Date.from(Instant.parse("2040-01-01T00:00:00Z")), subject, key.getPublic());
        b.addExtension(Extension.keyUsage, true, usage);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (policy != null) {
            b.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(policy))));
        }
        String alg = signer instanceof ECKey ? "SHA384withECDSA" : "SHA256withRSA";
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        return java.util.Map.entry(cert, key.getPrivate());
    }
}
