package be.idsvc.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import be.idsvc.pki.Pem;

/**
 * The CAs trusted for {@code tls_client_auth} (trust/client-ca/*.pem), reloaded when they change. A
 * file that does not parse trusts nothing until it is fixed (logged by {@link WatchedDirectory}).
 */
public final class ClientCaStore {
    private final Supplier<Set<TrustAnchor>> anchors;

    public ClientCaStore(ServiceHome home, Clock clock) {
        this.anchors = new WatchedDirectory<>(home.clientCaDir(), "*.pem", ClientCaStore::parse, clock).derived(c -> {
            Set<TrustAnchor> out = new HashSet<>();
            for (List<X509Certificate> certs : c.parsed().values()) {
                for (X509Certificate cert : certs) out.add(new TrustAnchor(cert, null));
            }
            return Set.copyOf(out);
        });
    }

    /** The same set object until a file changes (callers cache PKIX results on its identity). */
    public Set<TrustAnchor> anchors() {
        return anchors.get();
    }

    /** The certificates of one CA file; throws when it holds none or something else. */
    public static List<X509Certificate> parse(Path file, byte[] content) {
        return Pem.certificates(new String(content, StandardCharsets.US_ASCII));
    }
}
