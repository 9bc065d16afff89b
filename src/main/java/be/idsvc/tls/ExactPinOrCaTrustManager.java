package be.idsvc.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The mtls connector's client-certificate check (DESIGN §3, layer 1). A client chain passes when
 * its leaf is, byte for byte, one of the pinned self-signed certificates (and within its validity
 * dates), or when it validates (PKIX) to one of the client CAs. A pinned certificate is never a
 * trust anchor: the JDK's PKIX would accept, as an issuer, any trusted certificate that does not say
 * it is not a CA (an X.509 v1 certificate, say), so whoever holds a pinned key could mint client
 * certificates that pass the handshake.
 *
 * <p>Both sets come from the truststore the service derives from its home
 * ({@code tls/client-truststore.p12}); an entry whose alias starts with {@value #PIN_ALIAS_PREFIX}
 * is a pin, every other entry a client CA. This class lives in {@code idsvc-tls.jar}, outside the
 * WAR, because the connector loads it: Tomcat through {@code trustManagerClassName} (the no-argument
 * constructor, a new instance per TLS reload), WildFly through {@link IdsvcTlsProvider}'s trust
 * manager factory named by the Elytron trust-manager. It depends on the JDK only.
 */
public final class ExactPinOrCaTrustManager extends X509ExtendedTrustManager {
    /** Aliases of pinned certificates in the derived truststore; everything else is a client CA. */
    public static final String PIN_ALIAS_PREFIX = "pinned-";
    /** The derived truststore below the service home, and its password (public certificates only). */
    public static final String TRUSTSTORE = "tls/client-truststore.p12";
    public static final String TRUSTSTORE_PASSWORD = "public";
    /** Overrides where the no-argument constructor reads the truststore (default {@code ${idsvc.home}/}{@value #TRUSTSTORE}). */
    public static final String TRUSTSTORE_PROPERTY = "idsvc.tls.client_truststore";

    private final Set<ByteBuffer> pinned = new HashSet<>();
    private final List<X509Certificate> acceptedIssuers = new ArrayList<>();
    /** PKIX over the client CAs alone; null when there is none. */
    private final X509ExtendedTrustManager caPath;

    /** For Tomcat's {@code trustManagerClassName}: reads the service home's derived truststore. */
    public ExactPinOrCaTrustManager() throws GeneralSecurityException, IOException {
        this(load(truststoreFile()));
    }

    public ExactPinOrCaTrustManager(KeyStore truststore) throws GeneralSecurityException {
        if (truststore == null) throw new KeyStoreException("no client truststore: the pins and client CAs are unknown");
        KeyStore cas = KeyStore.getInstance("PKCS12");
        try {
            cas.load(null, null);
        } catch (IOException e) {
            throw new KeyStoreException("cannot create an in-memory key store", e);
        }
        int caCount = 0;
        for (String alias : Collections.list(truststore.aliases())) {
            if (!truststore.isCertificateEntry(alias)) continue;
            Certificate c = truststore.getCertificate(alias);
            if (!(c instanceof X509Certificate x)) continue;
            if (alias.toLowerCase(java.util.Locale.ROOT).startsWith(PIN_ALIAS_PREFIX)) {
                pinned.add(ByteBuffer.wrap(x.getEncoded()));
            } else {
                cas.setCertificateEntry("ca-" + caCount++, x);
            }
            acceptedIssuers.add(x);
        }
        caPath = caCount == 0 ? null : pkix(cas);
    }

    private static X509ExtendedTrustManager pkix(KeyStore cas) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
        f.init(cas);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new KeyStoreException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (isValidPin(chain)) return;
        caPath(chain).checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (isValidPin(chain)) return;
        caPath(chain).checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (isValidPin(chain)) return;
        caPath(chain).checkClientTrusted(chain, authType, engine);
    }

    /** The leaf alone decides: the rest of a pinned client's chain is never looked at. */
    private boolean isValidPin(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0 || chain[0] == null) throw new CertificateException("no client certificate");
        if (!pinned.contains(ByteBuffer.wrap(chain[0].getEncoded()))) return false;
        chain[0].checkValidity();
        return true;
    }

    private X509ExtendedTrustManager caPath(X509Certificate[] chain) throws CertificateException {
        if (caPath == null) {
            throw new CertificateException("client certificate " + chain[0].getSubjectX500Principal() + " is not pinned and no client CA is trusted");
        }
        return caPath;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager checks client certificates only");
    }

    /** The CAs and the pinned certificates: their subjects name, in the certificate request, what a client may send. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.toArray(new X509Certificate[0]);
    }

    static Path truststoreFile() throws KeyStoreException {
        String explicit = System.getProperty(TRUSTSTORE_PROPERTY);
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String home = System.getProperty("idsvc.home");
        if (home == null || home.isBlank()) {
            throw new KeyStoreException("neither " + TRUSTSTORE_PROPERTY + " nor idsvc.home is set: the client truststore is unknown");
        }
        return Path.of(home).resolve(TRUSTSTORE);
    }

    static KeyStore load(Path file) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, TRUSTSTORE_PASSWORD.toCharArray());
        }
        return ks;
    }
}
