package be.idsvc.clientauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import be.idsvc.config.AtomicFiles;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.DirectoryListing;
import be.idsvc.config.ServiceHome;
import be.idsvc.core.Client;
import be.idsvc.core.ClientAuthMethod;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;
import be.idsvc.tls.ExactPinOrCaTrustManager;

/**
 * The trust material of the mtls connector's TLS layer, derived from the service home:
 * {@code tls/client-truststore.p12} holds every certificate of {@code trust/client-ca/*.pem} and,
 * for every client registered with {@code self_signed_tls_client_auth}, the pinned certificates
 * {@code trust/pinned/<x5t#S256>.pem} of its pins. The file is never edited by hand; admin commands
 * call {@link #writeClientTrustStore(Path)} after each trust change. The connector's trust manager
 * ({@link ExactPinOrCaTrustManager}) tells pins from CAs by the alias prefix {@value #PIN_ALIAS_PREFIX}:
 * a pin is trusted as exactly that certificate, never as an issuer.
 */
public final class TlsTrustMaterial {
    /** Only satisfies the PKCS#12 format: the store holds public certificates. */
    public static final String TRUSTSTORE_PASSWORD = ExactPinOrCaTrustManager.TRUSTSTORE_PASSWORD;
    public static final String TRUSTSTORE = ExactPinOrCaTrustManager.TRUSTSTORE;
    /** Marks a pinned certificate in the truststore (the trust manager reads this prefix). */
    public static final String PIN_ALIAS_PREFIX = ExactPinOrCaTrustManager.PIN_ALIAS_PREFIX;
    /** The same certificates as PEM, for a TLS-terminating proxy (nginx's ssl_client_certificate). */
    public static final String PEM_BUNDLE = "tls/client-trust-bundle.pem";
    public static final String SELF_SIGNED = "self_signed_tls_client_auth";

    private TlsTrustMaterial() {}

    /** The certificates the truststore must hold, keyed by alias (stable, lower case). */
    public static Map<String, X509Certificate> trustedCertificates(Path home) {
        return trustedCertificates(home, new ArrayList<>());
    }

    /**
     * As {@link #trustedCertificates(Path)}, adding to {@code leftOut} one line per file or pin left
     * out. Fails closed file by file, like the application layer: a CA file that does not parse, a
     * registration that does not parse (its client is refused anyway) and a pin whose certificate
     * file is missing or holds another certificate add nothing; everything else is still trusted.
     */
    public static Map<String, X509Certificate> trustedCertificates(Path home, List<String> leftOut) {
        ServiceHome layout = new ServiceHome(home);
        Map<String, X509Certificate> out = new LinkedHashMap<>();
        for (Path pem : sorted(layout.clientCaDir(), "*.pem", leftOut)) {
            List<X509Certificate> certs;
            try {
                certs = Pem.certificates(pem);
            } catch (RuntimeException e) {
                leftOut.add(pem + ": " + e.getMessage());
                continue;
            }
            String base = "client-ca-" + stem(pem);
            for (int i = 0; i < certs.size(); i++) {
                put(out, certs.size() == 1 ? base : base + "-" + (i + 1), certs.get(i));
            }
        }
        for (Path file : sorted(layout.clientsDir(), "*.properties", leftOut)) {
            Client client;
            try {
                client = ClientRegistry.parse(file, Files.readAllBytes(file));
            } catch (IOException | RuntimeException e) {
                leftOut.add(e instanceof IOException ? file + ": " + e : e.getMessage());
                continue;
            }
            if (client.authMethod() != ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH) continue;
            for (String pin : new java.util.TreeSet<>(client.pins())) {
                Path pinned = layout.pinnedDir().resolve(pin + ".pem");
                try {
                    if (!Files.isRegularFile(pinned)) {
                        leftOut.add("client " + client.clientId() + ": pinned certificate " + pinned + " is missing");
                        continue;
                    }
                    X509Certificate cert = Pem.certificates(pinned).get(0);
                    if (!pin.equals(CertificateThumbprint.x5tS256(cert))) {
                        leftOut.add("client " + client.clientId() + ": " + pinned + " does not hold the certificate of pin " + pin);
                        continue;
                    }
                    put(out, PIN_ALIAS_PREFIX + client.clientId() + "-" + pin, cert);
                } catch (RuntimeException e) {
                    leftOut.add("client " + client.clientId() + ": " + pinned + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** The truststore as a PKCS#12 key store of trusted-certificate entries. */
    public static KeyStore clientTrustStore(Path home) {
        return keyStore(trustedCertificates(home));
    }

    private static KeyStore keyStore(Map<String, X509Certificate> certs) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (Map.Entry<String, X509Certificate> e : certs.entrySet()) {
                ks.setCertificateEntry(e.getKey(), e.getValue());
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client truststore", e);
        }
    }

    /** (Re)writes {@code tls/client-truststore.p12} and the PEM bundle atomically; returns the truststore's path. */
    public static Path writeClientTrustStore(Path home) {
        Map<String, X509Certificate> certs = trustedCertificates(home);
        writePemBundle(home, certs);
        KeyStore ks = keyStore(certs);
        Path target = home.resolve(TRUSTSTORE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ks.store(out, TRUSTSTORE_PASSWORD.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + target, e);
        }
        // public certificates only: readable like the rest of trust/
        AtomicFiles.write(target, out.toByteArray(), false);
        return target;
    }

    private static void writePemBundle(Path home, Map<String, X509Certificate> certs) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, X509Certificate> e : certs.entrySet()) {
            b.append("# ").append(e.getKey()).append('\n').append(Pem.encode(e.getValue()));
        }
        // An empty bundle would make nginx refuse to start; a comment keeps the file valid for humans.
        String text = b.length() == 0 ? "# no trusted client certificates\n" : b.toString();
        AtomicFiles.write(home.resolve(PEM_BUNDLE), text.getBytes(StandardCharsets.US_ASCII), false);
    }

    private static void put(Map<String, X509Certificate> out, String alias, X509Certificate cert) {
        String a = alias.toLowerCase(java.util.Locale.ROOT);
        String unique = a;
        for (int n = 2; out.containsKey(unique); n++) unique = a + "-" + n;
        out.put(unique, cert);
    }

    private static List<Path> sorted(Path dir, String glob, List<String> leftOut) {
        try {
            return DirectoryListing.sorted(dir, glob);
        } catch (IOException e) {
            // an unreadable directory trusts nothing it holds
            leftOut.add("cannot list " + dir + ": " + e);
            return List.of();
        }
    }

    private static String stem(Path file) {
        return DirectoryListing.stem(file);
    }
}
