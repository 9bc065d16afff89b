package be.idsvc.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import be.idsvc.config.AtomicFiles;
import be.idsvc.pki.Pem;

/**
 * {@code tls/server.p12}: the server certificate chain and key of {@code tls/server.pem} and
 * {@code tls/server-key.pem} as a PKCS#12 key store, for servers that cannot read PEM key pairs
 * (WildFly's Elytron key-store). Derived, like the client truststore: never edit it, regenerate it.
 * It holds the same private key as {@code server-key.pem} and gets the same protection (mode 600);
 * its password ({@link #PASSWORD}) only satisfies the format.
 */
public final class ServerKeystore {
    public static final String FILE = "tls/server.p12";
    public static final String ALIAS = "server";
    public static final String PASSWORD = "server";

    private ServerKeystore() {}

    /** Writes {@code tls/server.p12} when it is missing or differs from the PEM files; true when written. */
    public static boolean sync(Path home) {
        List<X509Certificate> chain = Pem.certificates(home.resolve("tls/server.pem"));
        PrivateKey key = Pem.privateKey(home.resolve("tls/server-key.pem"));
        if (chain.isEmpty()) throw new AdminException("tls/server.pem holds no certificate");
        Path target = home.resolve(FILE);
        if (Files.isRegularFile(target) && sameContent(target, chain, key)) return false;
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(X509Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, PASSWORD.toCharArray());
            AtomicFiles.write(target, out.toByteArray(), true);
            return true;
        } catch (GeneralSecurityException | IOException e) {
            throw new AdminException("cannot write " + FILE + ": " + e.getMessage());
        }
    }

    private static boolean sameContent(Path p12, List<X509Certificate> chain, PrivateKey key) {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(p12))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            if (ks.size() != 1 || !ks.isKeyEntry(ALIAS)) return false;
            Key k = ks.getKey(ALIAS, PASSWORD.toCharArray());
            Certificate[] c = ks.getCertificateChain(ALIAS);
            return k != null && Arrays.equals(k.getEncoded(), key.getEncoded())
                    && c != null && Arrays.equals(c, chain.toArray(Certificate[]::new));
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }
}
