package be.idsvc.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.config.ServiceHome;
import be.idsvc.pki.CertificateThumbprint;

/**
 * Keeps the TLS layer of the mtls connector in step with the service home (DESIGN §3, both layers
 * without restart): when the client CAs or the pinned self-signed certificates change, the derived
 * truststore is rewritten and the connector is told to reload it. Connections already open keep
 * their session; new handshakes see the new trust. Called periodically by the mtls deployment.
 */
public final class TlsTrustSync {
    private static final Logger LOG = Logger.getLogger(TlsTrustSync.class.getName());

    private final ServiceHome home;
    private final ConnectorTrustReloader reloader;
    private List<String> lastStamp = List.of();
    private TreeSet<String> applied;

    public TlsTrustSync(ServiceHome home, ConnectorTrustReloader reloader) {
        this.home = home;
        this.reloader = reloader;
        this.applied = thumbprintsOfCurrentTruststore();
    }

    /** One check; cheap when nothing changed (file names, sizes and times only). */
    public synchronized void check() {
        List<String> stamp = stamp();
        if (stamp.equals(lastStamp)) return;
        List<String> leftOut = new ArrayList<>();
        TreeSet<String> wanted = thumbprints(TlsTrustMaterial.trustedCertificates(home.dir(), leftOut));
        // fail closed file by file: what does not parse is left out of the TLS layer too, the rest is applied
        for (String why : leftOut) LOG.severe(() -> "left out of the mtls connector's client trust: " + why);
        lastStamp = stamp;
        if (wanted.equals(applied)) return;
        TlsTrustMaterial.writeClientTrustStore(home.dir());
        if (reloader.reload()) {
            LOG.info(() -> "mtls connector reloaded its client trust: " + wanted.size() + " trusted certificates");
            applied = wanted;
        }
    }

    private TreeSet<String> thumbprintsOfCurrentTruststore() {
        Path file = home.dir().resolve(TlsTrustMaterial.TRUSTSTORE);
        TreeSet<String> out = new TreeSet<>();
        if (!Files.isRegularFile(file)) return out;
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, TlsTrustMaterial.TRUSTSTORE_PASSWORD.toCharArray());
            for (String alias : Collections.list(ks.aliases())) {
                Certificate c = ks.getCertificate(alias);
                if (c instanceof X509Certificate x) out.add(CertificateThumbprint.x5tS256(x));
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cannot read " + file + "; it will be rewritten: " + e.getMessage());
        }
        return out;
    }

    private static TreeSet<String> thumbprints(Map<String, X509Certificate> certs) {
        TreeSet<String> out = new TreeSet<>();
        for (X509Certificate c : certs.values()) out.add(CertificateThumbprint.x5tS256(c));
        return out;
    }

    private List<String> stamp() {
        List<String> out = new ArrayList<>();
        for (Path dir : List.of(home.clientCaDir(), home.pinnedDir(), home.clientsDir())) {
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    out.add(f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis());
                }
            } catch (IOException e) {
                out.add(dir + ":unreadable");
            }
        }
        Collections.sort(out);
        return out;
    }
}
