package be.idsvc.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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

import be.idsvc.clientauth.CertificateThumbprint;
import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ConfigurationException;
import be.idsvc.config.PropertiesFile;
import be.idsvc.config.ServiceHome;
import be.idsvc.core.Client;
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
        return parseClient(f, read(f));
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

    List<ClientFile> clients() {
        List<ClientFile> out = new ArrayList<>();
        for (Path f : list(clientsDir(), "*.properties")) out.add(parseClient(f, read(f)));
        return out;
    }

    /** Ids of the clients other than {@code except} that pin {@code x5t}. */
    List<String> otherClientsPinning(String x5t, String except) {
        List<String> out = new ArrayList<>();
        for (ClientFile c : clients()) {
            if (!c.client().clientId().equals(except) && c.pins().contains(x5t)) out.add(c.client().clientId());
        }
        return out;
    }

    // ---- CAs and CRLs ----------------------------------------------------------------------

    /** The client CAs by name (file stem); each file's certificates. */
    Map<String, List<X509Certificate>> cas() {
        Map<String, List<X509Certificate>> out = new LinkedHashMap<>();
        for (Path f : list(clientCaDir(), "*.pem")) {
            try {
                out.put(stem(f), Pem.certificates(f));
            } catch (Pem.PemException e) {
                throw new AdminException(dir.relativize(f) + ": " + e.getMessage());
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
        String user = System.getProperty("user.name", "unknown").replaceAll("\\s", "_");
        AtomicFiles.appendLine(dir.resolve("audit.log"), now() + " user=" + user + " " + command + " " + details);
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
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
