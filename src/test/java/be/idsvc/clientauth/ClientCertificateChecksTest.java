package be.idsvc.clientauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ClientCaStore;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.ServiceSettings;
import be.idsvc.core.OAuthError;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateIssuer.Spec;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.revocation.Pki;
import be.idsvc.revocation.RevocationChecker;

/**
 * The application-layer certificate checks of issue 13 defect 11, with real certificates: validity
 * dates of pinned self-signed certificates, EKU clientAuth / KU digitalSignature where present, and
 * revocation of every certificate of the path, not only the leaf.
 */
class ClientCertificateChecksTest {
    @TempDir
    Path tmp;

    private DemoHome.Result demo;
    private ServiceHome home;

    @BeforeEach
    void setUp() {
        demo = DemoHome.create(new DemoHome.Options(tmp.resolve("home"), tmp.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        home = ServiceHome.at(tmp.resolve("home"));
    }

    private ClientAuthenticator authenticator() {
        ClientCaStore cas = new ClientCaStore(home, Clock.systemUTC());
        RevocationChecker checker = new RevocationChecker(ServiceSettings.load(home).revocation(), home.crlDir(), cas::anchors, Clock.systemUTC());
        return new ClientAuthenticator(new ClientRegistry(home, Clock.systemUTC()), cas::anchors, checker, Clock.systemUTC());
    }

    private void register(String id, String method, String subjectDn, X509Certificate cert) throws Exception {
        Files.writeString(home.clientsDir().resolve(id + ".properties"), "client_id=" + id + "\ntoken_endpoint_auth_method=" + method + "\n"
                + (subjectDn == null ? "" : "tls_client_auth_subject_dn=" + subjectDn + "\n")
                + "redirect_uris=https://" + id + ".example/cb\nscopes=openid\npins=" + CertificateThumbprint.x5tS256(cert) + "\n");
    }

    private static void assertRefused(ClientAuthenticator a, String id, X509Certificate... chain) {
        OAuthError e = assertThrows(OAuthError.class, () -> a.authenticate(id, chain));
        assertEquals("invalid_client", e.code());
        assertEquals(401, e.status());
        OAuthError u = assertThrows(OAuthError.class, () -> a.checkStillValid(id, chain));
        assertEquals("invalid_token", u.code());
    }

    private static void assertAccepted(ClientAuthenticator a, String id, X509Certificate... chain) {
        assertEquals(id, a.authenticate(id, chain).client().clientId());
        a.checkStillValid(id, chain);
    }

    @Test
    void anExpiredPinnedSelfSignedCertificateIsRefused() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Issued expired = CertificateIssuer.selfSignedClient("CN=expired", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                CertificateIssuer.KeyType.EC_P256);
        Issued future = CertificateIssuer.selfSignedClient("CN=future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                CertificateIssuer.KeyType.EC_P256);
        Issued current = CertificateIssuer.selfSignedClient("CN=current");
        register("expired", "self_signed_tls_client_auth", null, expired.certificate());
        register("future", "self_signed_tls_client_auth", null, future.certificate());
        register("current", "self_signed_tls_client_auth", null, current.certificate());
        ClientAuthenticator a = authenticator();
        assertRefused(a, "expired", expired.certificate());
        assertRefused(a, "future", future.certificate());
        assertAccepted(a, "current", current.certificate());
    }

    @Test
    void aCertificateWhoseExtendedKeyUsageExcludesClientAuthIsRefused() throws Exception {
        Issued serverOnly = CertificateIssuer.issue(Spec.endEntity("CN=server-only,O=Test,C=BE", Duration.ofDays(30))
                .withExtendedKeyUsages(KeyPurposeId.id_kp_serverAuth), demo.ca());
        Issued both = CertificateIssuer.issue(Spec.endEntity("CN=both,O=Test,C=BE", Duration.ofDays(30))
                .withExtendedKeyUsages(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), demo.ca());
        Issued noEku = CertificateIssuer.issue(Spec.endEntity("CN=no-eku,O=Test,C=BE", Duration.ofDays(30)), demo.ca());
        Issued selfSignedServer = CertificateIssuer.issue(Spec.endEntity("CN=self-server", Duration.ofDays(30))
                .withExtendedKeyUsages(KeyPurposeId.id_kp_serverAuth), null);
        register("server-only", "tls_client_auth", "CN=server-only,O=Test,C=BE", serverOnly.certificate());
        register("both", "tls_client_auth", "CN=both,O=Test,C=BE", both.certificate());
        register("no-eku", "tls_client_auth", "CN=no-eku,O=Test,C=BE", noEku.certificate());
        register("self-server", "self_signed_tls_client_auth", null, selfSignedServer.certificate());
        ClientAuthenticator a = authenticator();
        assertRefused(a, "server-only", serverOnly.chain().toArray(X509Certificate[]::new));
        assertRefused(a, "self-server", selfSignedServer.certificate());
        assertAccepted(a, "both", both.chain().toArray(X509Certificate[]::new));
        assertAccepted(a, "no-eku", noEku.chain().toArray(X509Certificate[]::new));
    }

    @Test
    void aCertificateWhoseKeyUsageExcludesDigitalSignatureIsRefused() throws Exception {
        Issued keyAgreementOnly = CertificateIssuer.issue(Spec.endEntity("CN=key-agreement,O=Test,C=BE", Duration.ofDays(30))
                .withExtendedKeyUsages(KeyPurposeId.id_kp_clientAuth)
                .customize(b -> {
                    try {
                        b.replaceExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyAgreement));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), demo.ca());
        register("key-agreement", "tls_client_auth", "CN=key-agreement,O=Test,C=BE", keyAgreementOnly.certificate());
        assertRefused(authenticator(), "key-agreement", keyAgreementOnly.chain().toArray(X509Certificate[]::new));
    }

    @Test
    void aRevokedIntermediateRefusesTheClientsBelowIt() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Issued intermediate = CertificateIssuer.issue(Spec.endEntity("CN=Intermediate,O=Test,C=BE", Duration.ofDays(365)).asCa(0), demo.ca());
        Issued leaf = CertificateIssuer.client(intermediate, "CN=under-intermediate,O=Test,C=BE");
        register("under-intermediate", "tls_client_auth", "CN=under-intermediate,O=Test,C=BE", leaf.certificate());
        X509Certificate[] chain = leaf.chain().toArray(X509Certificate[]::new);
        writeCrl(Map.of());
        assertAccepted(authenticator(), "under-intermediate", chain);

        // the root's CRL lists the intermediate; the leaf itself is listed nowhere
        writeCrl(Map.of(intermediate.certificate().getSerialNumber(), now.minus(Duration.ofMinutes(5))));
        assertRefused(authenticator(), "under-intermediate", chain);
        // the demo client, issued by the root directly, is not affected
        assertAccepted(authenticator(), "demo-client", demo.demoClient().chain().toArray(X509Certificate[]::new));
    }

    private void writeCrl(Map<BigInteger, Instant> revoked) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Files.createDirectories(home.crlDir());
        Files.write(home.crlDir().resolve("ca.crl"),
                Pki.crl(demo.ca(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)), revoked).getEncoded());
    }
}
