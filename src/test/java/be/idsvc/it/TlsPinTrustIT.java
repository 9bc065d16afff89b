package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import be.idsvc.admin.DemoHome;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;

/**
 * A pinned self-signed client certificate is trusted at the TLS layer as exactly that certificate,
 * never as a trust anchor (issue 13, defect 11): whoever holds a pinned client's private key (the
 * client itself, or someone who stole it) must not be able to mint further certificates that pass
 * the mtls handshake. A refusal is accepted in both shapes the servers show it: a TLS 1.2 handshake
 * failure, or TLS 1.3's alert at the first read ({@link TlsRefusal}).
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class TlsPinTrustIT {
    static final long DEADLINE_MILLIS = 5000;
    final ServerUnderTest s = ServerUnderTest.get();

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void thePinnedSelfSignedCertificateItselfIsAccepted(String protocol) throws Exception {
        Issued pinned = s.client(ServerUnderTest.OTHER_CLIENT);
        HttpResponse<String> r = get(s.sslContext(pinned), protocol);
        assertArrayEquals(new Certificate[] {pinned.certificate()}, r.sslSession().orElseThrow().getLocalCertificates());
        assertTrue(r.statusCode() >= 100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aCertificateIssuedByAPinnedKeyIsRefusedAtTheHandshake(String protocol) throws Exception {
        Issued pinned = v1SelfSigned("CN=pin-v1,O=Identification Service Test,C=BE");
        Issued minted = CertificateIssuer.client(pinned, "CN=minted,O=Identification Service Test,C=BE");
        // same subject and issuer DN as the pin: looks like the pinned (self-issued) certificate by name
        Issued twin = CertificateIssuer.client(pinned, "CN=pin-v1,O=Identification Service Test,C=BE");
        register("pin-v1", pinned);
        try {
            within("the new pin is trusted at the TLS layer", () -> handshakes(s.sslContext(pinned), protocol));
            // the holder of the pinned key sends the pinned certificate along as the issuer, as a CA's client would
            assertRefused(s.sslContext(List.of(minted.certificate(), pinned.certificate()), minted.privateKey()), protocol);
            assertRefused(s.sslContext(List.of(minted.certificate()), minted.privateKey()), protocol);
            assertRefused(s.sslContext(List.of(twin.certificate(), pinned.certificate()), twin.privateKey()), protocol);
        } finally {
            AdminCli.run(s, "client", "remove", "pin-v1");
        }
    }

    @Test
    void aCertificateIssuedByTheDemoPinIsRefused() {
        // other-client's pin is a v3 end-entity certificate (CA:false): the JDK's PKIX already refuses
        // it as an issuer; this stays true with the exact-match trust manager
        Issued pinned = s.client(ServerUnderTest.OTHER_CLIENT);
        Issued minted = CertificateIssuer.client(pinned, DemoHome.OTHER_CLIENT_DN);
        assertRefused(s.sslContext(List.of(minted.certificate(), pinned.certificate()), minted.privateKey()), "TLSv1.3");
        assertRefused(s.sslContext(List.of(minted.certificate(), pinned.certificate()), minted.privateKey()), "TLSv1.2");
    }

    @Test
    void aCaIssuedClientCertificateStillPassesAndItsChildDoesNot() throws Exception {
        // the CA path is unchanged: the demo CA's client passes; a certificate it issues (not a CA) does not
        Issued demoClient = s.client(ServerUnderTest.DEMO_CLIENT);
        get(s.sslContext(ServerUnderTest.DEMO_CLIENT), "TLSv1.3");
        Issued grandchild = CertificateIssuer.client(demoClient, "CN=grandchild,O=Identification Service Test,C=BE");
        List<X509Certificate> chain = List.of(grandchild.certificate(), demoClient.certificate(), s.demoCa().certificate());
        assertRefused(s.sslContext(chain, grandchild.privateKey()), "TLSv1.3");
    }

    @Test
    void aPinsRemovalTakesEffectWithoutRestart() throws Exception {
        Issued cert = v1SelfSigned("CN=pin-gone,O=Identification Service Test,C=BE");
        register("pin-gone", cert);
        try {
            within("the new pin is trusted at the TLS layer", () -> handshakes(s.sslContext(cert), "TLSv1.3"));
            AdminCli.run(s, "pin", "remove", "pin-gone", CertificateThumbprint.x5tS256(cert.certificate()));
            within("the removed pin is refused at the TLS layer", () -> !handshakes(s.sslContext(cert), "TLSv1.3"));
            assertFalse(handshakes(s.sslContext(cert), "TLSv1.2"));
        } finally {
            AdminCli.run(s, "client", "remove", "pin-gone");
        }
        // the other pins are untouched by the reload
        assertTrue(handshakes(s.sslContext(ServerUnderTest.OTHER_CLIENT), "TLSv1.2"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void assertRefused(SSLContext ssl, String protocol) {
        IOException e = assertThrows(IOException.class, () -> get(ssl, protocol), "the handshake succeeded");
        System.out.println(s.kind().displayName + ", " + protocol + ": " + TlsRefusal.chain(e));
        TlsRefusal.assertIs(e);
    }

    private void register(String clientId, Issued selfSigned) {
        AdminCli.run(s, "client", "add", clientId, "--auth", "self_signed_tls_client_auth",
                "--redirect-uri", "http://127.0.0.1:8771/callback", "--scopes", "openid", "--cert", AdminCli.file(selfSigned.certificatePem()));
    }

    /**
     * A self-signed X.509 v1 client certificate (no extensions, as older OpenSSL's {@code x509 -req
     * -signkey} and other tools make them): not a CA by its extensions, so the admin CLI pins it, yet
     * the JDK's PKIX accepts a v1 trust anchor as an issuer.
     */
    static Issued v1SelfSigned(String dn) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair keys = g.generateKeyPair();
            X500Principal name = new X500Principal(dn);
            Instant now = Instant.now();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v1CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                    name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Issued(cert, keys.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when a fresh connection gets an HTTP answer, false when the TLS layer refuses it; anything else fails. */
    private boolean handshakes(SSLContext ssl, String protocol) {
        try {
            get(ssl, protocol);

            return true;
        } catch (IOException e) {
            TlsRefusal.assertIs(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(SSLContext ssl, String protocol) throws IOException, InterruptedException {
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setProtocols(new String[] {protocol});
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).sslParameters(params)
                .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
        URI uri = s.mtlsBase().resolve("/health");
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void within(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        if (!condition.getAsBoolean()) fail("not within " + DEADLINE_MILLIS + " ms: " + what);
    }
}
