package be.idsvc.revocation;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.x500.X500Principal;

import be.idsvc.config.WatchedDirectory;

/**
 * The CRLs imported in {@code trust/crl/*.crl}, each verified against its CA among
 * {@code trust/client-ca/}. Re-read when a file changes (via {@link WatchedDirectory}), re-verified
 * when the files or the CAs change, never per request. A CRL that cannot be read or verified is
 * ignored and logged (SEVERE, naming the file) once per change; it still marks its issuer as
 * having a revocation source, so that CA's certificates get "status unavailable" rather than a
 * silent "good".
 */
final class ImportedCrls {
    private static final Logger LOG = Logger.getLogger(ImportedCrls.class.getName());

    /** One file as read: the CRL, or why it could not be parsed. */
    private record Parsed(Path file, X509CRL crl, String error) {}

    /** The verified CRLs by issuer name, and every issuer name some file claims (verified or not). */
    record Index(Map<X500Principal, List<Crl>> verified, Set<X500Principal> claimed) {
        static final Index EMPTY = new Index(Map.of(), Set.of());

        List<Crl> forIssuer(X509Certificate issuer) {
            List<Crl> all = verified.get(issuer.getSubjectX500Principal());
            if (all == null) return List.of();
            return all.stream().filter(c -> c.issuedBy(issuer)).toList();
        }
    }

    private record Memo(List<Parsed> files, Set<TrustAnchor> anchors, Index index) {}

    private final Supplier<List<Parsed>> files;
    private final Supplier<Set<TrustAnchor>> cas;
    private volatile Memo memo;

    ImportedCrls(Path dir, Supplier<Set<TrustAnchor>> cas, Clock clock) {
        this.files = dir == null ? null : new WatchedDirectory<>(dir, "*.crl", ImportedCrls::parseOne, clock).derived(ImportedCrls::all);
        this.cas = cas;
    }

    Index current() {
        if (files == null) return Index.EMPTY;
        List<Parsed> f = files.get();
        Set<TrustAnchor> a = cas.get();
        Memo m = memo;
        if (m != null && m.files == f && m.anchors == a) return m.index;
        synchronized (this) {
            m = memo;
            if (m != null && m.files == f && m.anchors == a) return m.index;
            Index index = verify(f, a);
            memo = new Memo(f, a, index);
            return index;
        }
    }

    private static Parsed parseOne(Path file, byte[] content) {
        try {
            return new Parsed(file, Crl.parse(content), null);
        } catch (CRLException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER or PEM CRL: " + e.getMessage(), e);
        }
    }

    /** Unreadable files stay in the list: they still mark their issuer as having a revocation source. */
    private static List<Parsed> all(WatchedDirectory.Contents<Parsed> c) {
        List<Parsed> out = new ArrayList<>(c.parsed().values());
        c.broken().forEach((f, why) -> out.add(new Parsed(f, null, why)));
        return List.copyOf(out);
    }

    private static Index verify(List<Parsed> files, Set<TrustAnchor> anchors) {
        Map<X500Principal, List<Crl>> verified = new HashMap<>();
        Set<X500Principal> claimed = new HashSet<>();
        for (Parsed p : files) {
            String source = "imported CRL " + p.file.getFileName();
            if (p.crl == null) {
                LOG.severe(() -> "ignoring " + p.file + ": " + p.error);
                continue;
            }
            X500Principal issuer = p.crl.getIssuerX500Principal();
            claimed.add(issuer);
            Crl ok = null;
            String why = "no CA of trust/client-ca/ is named " + issuer.getName();
            for (TrustAnchor anchor : anchors) {
                X509Certificate ca = anchor.getTrustedCert();
                if (ca == null || !ca.getSubjectX500Principal().equals(issuer)) continue;
                try {
                    ok = Crl.verified(source, p.crl, ca);
                    break;
                } catch (GeneralSecurityException | RuntimeException e) {
                    why = "not verifiable with the CA " + issuer.getName() + " of trust/client-ca/: " + e.getMessage();
                }
            }
            if (ok == null) {
                String w = why;
                LOG.log(Level.SEVERE, () -> "ignoring " + p.file + ": " + w);
                continue;
            }
            verified.computeIfAbsent(issuer, k -> new ArrayList<>()).add(ok);
        }
        Map<X500Principal, List<Crl>> frozen = new HashMap<>();
        verified.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Index(Map.copyOf(frozen), Set.copyOf(claimed));
    }
}
