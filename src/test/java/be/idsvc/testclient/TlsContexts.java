package be.idsvc.testclient;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import be.idsvc.pki.Pem;

/** SSL contexts from PEM files, as a client application's back end would build them. */
public final class TlsContexts {
    private TlsContexts() {}

    /** Trusts the CA in {@code caPem}; presents {@code certPem}/{@code keyPem} when both are given. */
    public static SSLContext of(Path caPem, Path certPem, Path keyPem) {
        try {
            KeyManager[] keyManagers = null;
            if (certPem != null) {
                List<X509Certificate> chain = Pem.certificates(certPem);
                PrivateKey key = Pem.privateKey(keyPem);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keyManagers = kmf.getKeyManagers();
            }
            return of(caPem, keyManagers);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build an SSL context: " + e.getMessage(), e);
        }
    }

    /** Trusts the CA in {@code caPem}; presents what {@code keyManagers} choose (none when null). */
    public static SSLContext of(Path caPem, KeyManager[] keyManagers) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : Pem.certificates(caPem)) trust.setCertificateEntry("ca" + i++, ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build an SSL context: " + e.getMessage(), e);
        }
    }
}
