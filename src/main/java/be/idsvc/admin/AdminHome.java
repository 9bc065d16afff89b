package be.idsvc.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.config.AtomicFiles;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ConfigurationException;
import be.idsvc.config.DirectoryListing;
import be.idsvc.config.PropertiesFile;
import be.idsvc.config.ServiceHome;
import be.idsvc.core.Client;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;

/** The service home as the admin commands see it: paths, readers, the truststore and the audit log. */
final class AdminHome {
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    static final Pattern PIN = Pattern.compile("[A-Za-z0-9_-]{43}");
    static final Pattern CA_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    final Path dir;
    final Clock clock;
    /** The layout the deployments read (docs/service-home.md); the CLI writes the same places. */
    private final ServiceHome layout;

    AdminHome(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        this.layout = new ServiceHome(dir);
    }

    Path dir() {
        return dir;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    Path clientsDir() {
        return layout.clientsDir();
    }

    Path clientFile(String id) {
        return clientsDir().resolve(id + ".properties");
    }

    Path pinnedDir() {
        return layout.pinnedDir();
    }

    Path pinFile(String x5t) {
        return pinnedDir().resolve(x5t + ".pem");
    }

    Path clientCaDir() {
        return layout.clientCaDir();
    }

    Path caFile(String name) {
        return clientCaDir().resolve(name + ".pem");
    }

    Path crlDir() {
        return layout.crlDir();
    }

    Path crlFile(String caName) {
        return crlDir().resolve(caName + ".crl");
    }

    Path signingKeysDir() {
        return layout.signingKeysDir();
    }

    Path serverCertificate() {
        return dir.resolve("tls/server.pem");
    }

    // ---- clients ---------------------------------------------------------------------------

    /** A client registration file: its text, its parse and its pins in file order. */
    record ClientFile(Path file, String content, Client client, List<String> pins) {}

    static void checkClientId(String id) {
        if (!CLIENT_ID.matcher(id).matches()) {
            throw new AdminException("malformed client id '" + id + "': use 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)");
        }
    }

    ClientFile client(String id) {
        checkClientId(id);
        Path f = clientFile(id);
        if (!Files.isRegularFile(f)) throw new AdminException("unknown client '" + id + "' (no " + dir.relativize(f) + ")");
        String content = read(f);
        try {
            return parseClient(f, content);
        } catch (AdminException e) {
            String rel = dir.relativize(f).toString();
            throw new AdminException(rel + " does not parse (" + BrokenFiles.withoutPrefix(e.getMessage(), f)
                    + "): fix it, or remove the client with: idsvc client remove " + id);
        }
    }

    /**
     * The registration of {@code id} for its removal, also when it does not parse (a broken
     * registration can always be removed): then its client is null and its pins are read from the
     * raw {@code pins} line, as far as that can be read.
     */
    ClientFile clientForRemoval(String id) {
        checkClientId(id);
        Path f = clientFile(id);
        if (!Files.isRegularFile(f)) throw new AdminException("unknown client '" + id + "' (no " + dir.relativize(f) + ")");
        String content = read(f);
        try {
            return parseClient(f, content);
        } catch (AdminException e) {
            return new ClientFile(f, content, null, rawPins(content));
        }
    }

    private static List<String> rawPins(String content) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(content));
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String pin : p.getProperty("pins", "").trim().split("[\\s,]+")) {
            if (PIN.matcher(pin).matches()) out.add(pin);
        }
        return out;
    }

    static ClientFile parseClient(Path f, String content) {
        Client c;
        try {
            c = ClientRegistry.parse(f, content.getBytes(StandardCharsets.UTF_8));
        } catch (ConfigurationException e) {
            throw new AdminException(e.getMessage());
        }
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(content));
        } catch (IOException e) {
            throw new AdminException(f + ": " + e.getMessage());
        }
        String pins = p.getProperty("pins", "").trim();
        List<String> list = pins.isEmpty() ? List.of() : List.of(pins.split("[\\s,]+"));
        return new ClientFile(f, content, c, list);
    }

    /** The registrations that parse (the others are refused by the deployments; {@link BrokenFiles} lists them). */
    List<ClientFile> clients() {
        List<ClientFile> out = new ArrayList<>();
        for (Path f : list(clientsDir(), "*.properties")) {
            try {
                out.add(parseClient(f, read(f)));
            } catch (AdminException e) {
                // broken: reported by check, refused by the deployments
            }
        }
        return out;
    }

    /**
     * Ids of the clients other than {@code except} that pin {@code x5t}; a registration that does
     * not parse counts when its text names the pin, so its certificate is kept for when it is fixed.
     */
    List<String> otherClientsPinning(String x5t, String except) {
        List<String> out = new ArrayList<>();
        for (Path f : list(clientsDir(), "*.properties")) {
            String id = stem(f);
            if (id.equals(except)) continue;
            String content = read(f);
            try {
                if (parseClient(f, content).pins().contains(x5t)) out.add(id);
            } catch (AdminException e) {
                if (content.contains(x5t)) out.add(id);
            }
        }
        return out;
    }

    // ---- CAs and CRLs ----------------------------------------------------------------------

    /** The client CAs by name (file stem); each file's certificates. Files that do not parse are left out, as the deployments do. */
    Map<String, List<X509Certificate>> cas() {
        Map<String, List<X509Certificate>> out = new LinkedHashMap<>();
        for (Path f : list(clientCaDir(), "*.pem")) {
            try {
                out.put(stem(f), Pem.certificates(f));
            } catch (Pem.PemException e) {
                // broken: trusts nothing, reported by check
            }
        }
        return out;
    }

    /** The CRLs of trust/crl/ by file stem; unreadable ones are left out. */
    Map<String, X509CRL> crls() {
        Map<String, X509CRL> out = new LinkedHashMap<>();
        for (Path f : list(crlDir(), "*.crl")) {
            try {
                out.put(stem(f), Crls.parse(Files.readAllBytes(f)));
            } catch (IOException | AdminException e) {
                // reported by check
            }
        }
        return out;
    }

    /** Whether an imported CRL was issued (and signed) by {@code ca}. */
    boolean hasCrlFrom(X509Certificate ca) {
        for (X509CRL crl : crls().values()) {
            if (crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                try {
                    crl.verify(ca.getPublicKey());
                    return true;
                } catch (GeneralSecurityException e) {
                    // another CA of the same name
                }
            }
        }
        return false;
    }

    PropertiesFile settings() {
        try {
            return PropertiesFile.read(dir.resolve("idsvc.properties"));
        } catch (ConfigurationException e) {
            throw new AdminException(e.getMessage());
        }
    }

    /** Which of OCSP / CRL fetching idsvc.properties turns on, or null for neither. */
    String onlineRevocation() {
        PropertiesFile s = settings();
        List<String> on = new ArrayList<>();
        try {
            if (s.bool("revocation.ocsp", false)) on.add("ocsp");
            if (s.bool("revocation.crl.fetch", false)) on.add("crl-fetch");
        } catch (ConfigurationException e) {
            throw new AdminException(e.getMessage());
        }
        return on.isEmpty() ? null : String.join("+", on);
    }

    // ---- side effects ----------------------------------------------------------------------

    static final String TRUSTSTORE_CHANGED = "tls/client-truststore.p12 changed: a running mtls deployment makes its"
            + " connector reload it within seconds (a proxy in front: run nginx -s reload)";

    /**
     * Rewrites tls/client-truststore.p12 from the home; true when the set of certificates it
     * holds changed. The running mtls deployment notices the change and reloads its connector
     * (be.idsvc.web.TlsTrustSync); a TLS-terminating proxy must be reloaded by the operator.
     */
    boolean regenerateTruststore() {
        java.util.Set<String> before = truststoreThumbprints();
        TlsTrustMaterial.writeClientTrustStore(dir);
        return !before.equals(truststoreThumbprints());
    }

    private java.util.Set<String> truststoreThumbprints() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        Path file = dir.resolve(TlsTrustMaterial.TRUSTSTORE);
        if (!Files.isRegularFile(file)) return out;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, TlsTrustMaterial.TRUSTSTORE_PASSWORD.toCharArray());
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.getCertificate(alias) instanceof X509Certificate c) out.add(x5t(c));
            }
        } catch (IOException | GeneralSecurityException e) {
            out.add("unreadable");
        }
        return out;
    }

    /** Appends one audit line: {@code <instant> user=<account> <command> <key=value>...}. */
    void audit(String command, String details) {
        String user = System.getProperty("user.name", "unknown").replaceAll("[\\s\\p{Cc}\\u2028\\u2029\"\\\\]", "_");
        AtomicFiles.appendLine(dir.resolve("audit.log"), now() + " user=" + user + " " + command + " " + details);
    }

    /**
     * A value for an audit line, exactly as written: as is when it is printable and has no space,
     * quote or backslash; otherwise in double quotes with {@code "} and {@code \} escaped by a
     * backslash (control characters never get this far: they are usage errors).
     */
    static String auditValue(String v) {
        if (!v.isEmpty() && v.codePoints().allMatch(c -> c > ' ' && c != '"' && c != '\\' && !ControlCharacters.is(c))) return v;
        StringBuilder b = new StringBuilder("\"");
        v.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') b.append('\\').appendCodePoint(c);
            else if (ControlCharacters.is(c)) b.append(String.format("\\u%04X", c));
            else b.appendCodePoint(c);
        });
        return b.append('"').toString();
    }

    // ---- the lock and the state of the home ------------------------------------------------

    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> IN_PROCESS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Runs one change under the home's exclusive lock ({@code admin.lock}): whatever the change
     * reads (registrations, pins, CAs) it reads under the lock, and its audit line is appended
     * under it, so two changes at once (two operators, two scripts) are applied one after the
     * other and the audit log's order is the order of the writes. A file lock excludes other
     * processes; threads of one process (which share one file lock) take an in-process lock first.
     */
    void locked(Runnable change) {
        Path lockFile = dir.resolve("admin.lock");
        String busy = "another idsvc change has held " + lockFile + " for " + LOCK_WAIT_SECONDS + " s; nothing changed, try again";
        java.util.concurrent.locks.ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, k -> new java.util.concurrent.locks.ReentrantLock());
        try {
            if (!inProcess.tryLock(LOCK_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) throw new AdminException(busy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(busy);
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            // a waiting command gives up after a while rather than hang behind a stuck one
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(LOCK_WAIT_SECONDS);
            java.nio.channels.FileLock l;
            while ((l = ch.tryLock()) == null) {
                if (System.nanoTime() > until) throw new AdminException(busy);
                Thread.sleep(20);
            }
            try (java.nio.channels.FileLock held = l) {
                change.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(busy);
        } finally {
            inProcess.unlock();
        }
    }

    static final int LOCK_WAIT_SECONDS = 60;

    /**
     * Refuses a change that adds trust while a file of the home does not parse: the CLI would build
     * on a view of the home that the deployments do not share. Removals do not call this.
     */
    void requireIntact() {
        List<BrokenFiles.Broken> broken = BrokenFiles.scan(this);
        if (broken.isEmpty()) return;
        throw new AdminException("the service home does not parse, so idsvc makes no change but a removal until it is fixed"
                + " (see: idsvc check): " + String.join("; ", broken.stream().map(BrokenFiles.Broken::line).toList()));
    }

    // ---- helpers ---------------------------------------------------------------------------

    static String x5t(X509Certificate c) {
        return CertificateThumbprint.x5tS256(c);
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    static List<Path> list(Path dir, String glob) {
        try {
            return DirectoryListing.sorted(dir, glob);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static String stem(Path f) {
        return DirectoryListing.stem(f);
    }
}
