package be.idsvc.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;

class ExactPinOrCaTrustManagerTest {
    final Issued ca = CertificateIssuer.certificateAuthority("CN=Test CA,C=BE");
    final Issued caClient = CertificateIssuer.client(ca, "CN=ca-client,C=BE");
    final Issued v3Pin = CertificateIssuer.selfSignedClient("CN=v3-pin,C=BE");
    final Issued v1Pin = v1SelfSigned("CN=v1-pin,C=BE", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)));

    @Test
    void aPinnedCertificatePassesByItself() throws Exception {
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(store(true));
        assertDoesNotThrow(() -> tm.checkClientTrusted(new X509Certificate[] {v1Pin.certificate()}, "EC"));
        assertDoesNotThrow(() -> tm.checkClientTrusted(new X509Certificate[] {v3Pin.certificate()}, "EC"));
    }

    @Test
    void aCertificateIssuedByAPinnedKeyDoesNotPass() throws Exception {
        KeyStore withoutCas = store(false);
        // what the JDK's PKIX makes of the same truststore: the v1 pin is an anchor that issues
        TrustManagerFactory jdk = TrustManagerFactory.getInstance("PKIX");
        jdk.init(withoutCas);
        javax.net.ssl.X509TrustManager pkix = (javax.net.ssl.X509TrustManager) jdk.getTrustManagers()[0];
        Issued minted = CertificateIssuer.client(v1Pin, "CN=minted,C=BE");
        X509Certificate[] chain = {minted.certificate(), v1Pin.certificate()};
        assertDoesNotThrow(() -> pkix.checkClientTrusted(chain, "EC"), "the premise: PKIX lets it through");

        for (KeyStore ks : List.of(withoutCas, store(true))) {
            ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(ks);
            assertThrows(CertificateException.class, () -> tm.checkClientTrusted(chain, "EC"));
            assertThrows(CertificateException.class, () -> tm.checkClientTrusted(new X509Certificate[] {minted.certificate()}, "EC"));
        }
    }

    @Test
    void aSameNamedCertificateWithThePinnedKeyIsNotThePin() throws Exception {
        Issued twin = CertificateIssuer.client(v1Pin, "CN=v1-pin,C=BE");
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(store(true));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(new X509Certificate[] {twin.certificate(), v1Pin.certificate()}, "EC"));
    }

    @Test
    void aCaIssuedCertificatePassesThroughPkix() throws Exception {
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(store(true));
        assertDoesNotThrow(() -> tm.checkClientTrusted(caClient.chain().toArray(X509Certificate[]::new), "EC"));
        Issued foreign = CertificateIssuer.client(CertificateIssuer.certificateAuthority("CN=Foreign,C=BE"), "CN=ca-client,C=BE");
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(foreign.chain().toArray(X509Certificate[]::new), "EC"));
    }

    @Test
    void withoutCasOnlyPinsPass() throws Exception {
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(store(false));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(caClient.chain().toArray(X509Certificate[]::new), "EC"));
        assertDoesNotThrow(() -> tm.checkClientTrusted(new X509Certificate[] {v3Pin.certificate()}, "EC"));
    }

    @Test
    void anExpiredOrNotYetValidPinDoesNotPass() throws Exception {
        Issued expired = v1SelfSigned("CN=expired,C=BE", Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        Issued future = v1SelfSigned("CN=future,C=BE", Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        KeyStore ks = store(false);
        ks.setCertificateEntry("pinned-x-expired", expired.certificate());
        ks.setCertificateEntry("pinned-x-future", future.certificate());
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(ks);
        assertThrows(CertificateExpiredException.class, () -> tm.checkClientTrusted(new X509Certificate[] {expired.certificate()}, "EC"));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(new X509Certificate[] {future.certificate()}, "EC"));
    }

    @Test
    void noChainNoServerChecksNoTruststore() throws Exception {
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(store(true));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(new X509Certificate[0], "EC"));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(null, "EC"));
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(caClient.chain().toArray(X509Certificate[]::new), "EC"));
        assertThrows(KeyStoreException.class, () -> new ExactPinOrCaTrustManager((KeyStore) null));
    }

    @Test
    void acceptedIssuersNameTheCasAndThePins() throws Exception {
        ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager(store(true));
        assertEquals(3, tm.getAcceptedIssuers().length);
        assertTrue(List.of(tm.getAcceptedIssuers()).containsAll(List.of(ca.certificate(), v1Pin.certificate(), v3Pin.certificate())));
    }

    @Test
    void theProvidersFactoryBuildsTheSameTrustManager() throws Exception {
        TrustManagerFactory f = TrustManagerFactory.getInstance(IdsvcTlsProvider.TRUST_MANAGER_ALGORITHM, new IdsvcTlsProvider());
        f.init(store(true));
        ExactPinOrCaTrustManager tm = assertInstanceOf(ExactPinOrCaTrustManager.class, f.getTrustManagers()[0]);
        Issued minted = CertificateIssuer.client(v1Pin, "CN=minted,C=BE");
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(new X509Certificate[] {minted.certificate(), v1Pin.certificate()}, "EC"));
        assertDoesNotThrow(() -> tm.checkClientTrusted(new X509Certificate[] {v1Pin.certificate()}, "EC"));
    }

    @Test
    void theNoArgumentConstructorReadsTheDerivedTruststore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client-truststore.p12");
        try (var out = Files.newOutputStream(file)) {
            store(false).store(out, ExactPinOrCaTrustManager.TRUSTSTORE_PASSWORD.toCharArray());
        }
        String before = System.getProperty(ExactPinOrCaTrustManager.TRUSTSTORE_PROPERTY);
        System.setProperty(ExactPinOrCaTrustManager.TRUSTSTORE_PROPERTY, file.toString());
        try {
            ExactPinOrCaTrustManager tm = new ExactPinOrCaTrustManager();
            assertArrayEquals(new X509Certificate[] {v1Pin.certificate(), v3Pin.certificate()}, sorted(tm.getAcceptedIssuers()));
        } finally {
            if (before == null) System.clearProperty(ExactPinOrCaTrustManager.TRUSTSTORE_PROPERTY);
            else System.setProperty(ExactPinOrCaTrustManager.TRUSTSTORE_PROPERTY, before);
        }
    }

    @Test
    void theDerivedTruststoreMarksPinsWithThePrefixTheTrustManagerReads() {
        assertEquals(TlsTrustMaterial.PIN_ALIAS_PREFIX, ExactPinOrCaTrustManager.PIN_ALIAS_PREFIX);
        assertEquals(TlsTrustMaterial.TRUSTSTORE, ExactPinOrCaTrustManager.TRUSTSTORE);
        assertEquals(TlsTrustMaterial.TRUSTSTORE_PASSWORD, ExactPinOrCaTrustManager.TRUSTSTORE_PASSWORD);
    }

    private X509Certificate[] sorted(X509Certificate[] certs) {
        return java.util.Arrays.stream(certs).sorted(java.util.Comparator.comparing(c -> c.getSubjectX500Principal().getName()))
                .toArray(X509Certificate[]::new);
    }

    /** Aliases as TlsTrustMaterial writes them. */
    private KeyStore store(boolean withCa) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        if (withCa) ks.setCertificateEntry("client-ca-test", ca.certificate());
        ks.setCertificateEntry("pinned-app-v1", v1Pin.certificate());
        ks.setCertificateEntry("pinned-app-v3", v3Pin.certificate());
        return ks;
    }

    static Issued v1SelfSigned(String dn, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair keys = g.generateKeyPair();
            X500Principal name = new X500Principal(dn);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v1CertificateBuilder(name,
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Issued(cert, keys.getPrivate(), List.of(cert));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
