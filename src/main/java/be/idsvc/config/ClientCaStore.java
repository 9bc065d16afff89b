package be.idsvc.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import be.idsvc.pki.Pem;

/** The CAs trusted for {@code tls_client_auth} (trust/client-ca/*.pem), reloaded when they change. */
public final class ClientCaStore {
    private final WatchedDirectory<Set<TrustAnchor>> anchors;

    public ClientCaStore(ServiceHome home) {
        this.anchors = new WatchedDirectory<>(home.clientCaDir(), "*.pem", ClientCaStore::parse);
    }

    public Set<TrustAnchor> anchors() {
        return anchors.get();
    }

    private static Set<TrustAnchor> parse(Map<Path, byte[]> files) {
        Set<TrustAnchor> out = new HashSet<>();
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            try {
                for (X509Certificate c : Pem.certificates(new String(f.getValue(), StandardCharsets.US_ASCII))) {
                    out.add(new TrustAnchor(c, null));
                }
            } catch (Pem.PemException e) {
                throw new ConfigurationException(f.getKey() + ": " + e.getMessage());
            }
        }
        return Set.copyOf(out);
    }
}
