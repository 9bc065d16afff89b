package be.idsvc.admin;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import be.idsvc.admin.AdminHome.ClientFile;
import be.idsvc.config.AtomicFiles;
import be.idsvc.core.Client;
import be.idsvc.core.ClientAuthMethod;
import be.idsvc.core.Scope;
import be.idsvc.core.Scopes;
import be.idsvc.pki.Pem;
import be.idsvc.pki.SelfSigned;

/** {@code client add|list|show|remove} and {@code pin add|remove}. */
final class ClientCommands {
    static final Set<String> ID_TOKEN_ALGS = Set.of("ES256", "RS256", "PS256");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern SECTOR = Pattern.compile("[A-Za-z0-9.:_\\[\\]-]{1,253}");

    private final AdminHome home;
    private final PrintStream out;

    ClientCommands(AdminHome home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    // ---- client add ------------------------------------------------------------------------

    void add(Args a) {
        a.operands("ID");
        String id = a.operand(0);
        String authValue = a.option("--auth");
        if (authValue == null) throw new UsageException("client add needs --auth tls_client_auth|self_signed_tls_client_auth");
        ClientAuthMethod method;
        try {
            method = ClientAuthMethod.parse(authValue);
        } catch (IllegalArgumentException e) {
            throw new UsageException("client add: --auth must be tls_client_auth or self_signed_tls_client_auth, not '" + authValue + "'");
        }
        List<String> uris = a.all("--redirect-uri");
        if (uris.isEmpty()) throw new UsageException("client add needs at least one --redirect-uri URI");
        String subjectDn = a.option("--subject-dn");
        String sanDns = a.option("--san-dns");
        if (method == ClientAuthMethod.TLS_CLIENT_AUTH && (subjectDn == null) == (sanDns == null)) {
            throw new UsageException("client add: tls_client_auth needs exactly one of --subject-dn DN and --san-dns NAME");
        }
        if (method == ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH && (subjectDn != null || sanDns != null)) {
            throw new UsageException("client add: --subject-dn and --san-dns are for tls_client_auth only");
        }
        String alg = a.option("--id-token-alg", "ES256");
        if (!ID_TOKEN_ALGS.contains(alg)) throw new UsageException("client add: --id-token-alg must be ES256, RS256 or PS256");

        home.requireIntact();
        AdminHome.checkClientId(id);
        Path file = home.clientFile(id);
        if (Files.exists(file)) throw new AdminException("client '" + id + "' already exists (clients/" + id + ".properties)");
        for (String uri : uris) checkRedirectUri(uri);
        Set<Scope> scopes = scopes(a.option("--scopes", "openid"));
        if (subjectDn != null) {
            try {
                new X500Principal(subjectDn);
            } catch (IllegalArgumentException e) {
                throw new AdminException("malformed subject DN '" + subjectDn + "' (expected e.g. CN=app,O=Org,C=BE)");
            }
        }
        if (sanDns != null && !DNS_NAME.matcher(sanDns).matches()) throw new AdminException("malformed DNS name '" + sanDns + "'");
        String name = a.option("--name", id);
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) throw new AdminException("--name must be one line of text");
        String sector = a.option("--sector", URI.create(uris.get(0)).getHost());
        if (!SECTOR.matcher(sector).matches()) throw new AdminException("malformed sector identifier '" + sector + "' (expected a host name)");

        name = name.strip();
        subjectDn = subjectDn == null ? null : subjectDn.strip();
        String content = render(id, name, method, subjectDn, sanDns, uris, Scopes.format(scopes), List.of(), alg, sector);
        ClientFile parsed = AdminHome.parseClient(file, content);

        X509Certificate cert = null;
        String pin = null;
        if (a.option("--cert") != null) {
            cert = checkPinnable(parsed, Path.of(a.option("--cert")));
            pin = AdminHome.x5t(cert);
            content = withPins(content, List.of(pin));
            AdminHome.parseClient(file, content);
        }

        if (cert != null) writePinFile(cert);
        AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8), false);
        boolean reload = home.regenerateTruststore();
        // the audit line carries every value the registration was written with (docs/service-home.md)
        home.audit("client add", "client=" + id + " auth=" + method.value() + " name=" + AdminHome.auditValue(name)
                + (subjectDn != null ? " subject_dn=" + AdminHome.auditValue(subjectDn) : "")
                + (sanDns != null ? " san_dns=" + AdminHome.auditValue(sanDns) : "")
                + " redirect_uris=" + AdminHome.auditValue(String.join(" ", uris)) + " scopes=" + AdminHome.auditValue(Scopes.format(scopes))
                + " id_token_alg=" + alg + " sector=" + AdminHome.auditValue(sector) + " pins=" + (pin == null ? "-" : pin));
        out.println("registered client " + id + " (" + method.value() + ") in clients/" + id + ".properties");
        if (cert != null) {
            out.println("pinned certificate:");
            out.print(Certificates.describe(cert, "  "));
        } else {
            out.println("no pin yet: add the client's certificate with: idsvc pin add " + id + " FILE.pem");
        }
        if (reload) out.println(AdminHome.TRUSTSTORE_CHANGED);
    }

    static void checkRedirectUri(String uri) {
        String why = "redirect URI '" + uri + "' must be https (http only on loopback: 127.0.0.1, [::1], localhost), with a host and no fragment";
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new AdminException("redirect URI '" + uri + "' is not a URI");
        }
        String host = u.getHost();
        boolean loopbackHttp = "http".equals(u.getScheme())
                && ("127.0.0.1".equals(host) || "[::1]".equals(host) || "localhost".equals(host));
        if (!(("https".equals(u.getScheme()) || loopbackHttp) && host != null && u.getFragment() == null)) {
            throw new AdminException(why);
        }
    }

    static Set<Scope> scopes(String value) {
        Set<Scope> scopes;
        try {
            scopes = Scopes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage() + " (known scopes: " + Scopes.format(Set.of(Scope.values())) + ")");
        }
        if (!scopes.contains(Scope.OPENID)) throw new AdminException("scopes must include openid");
        return scopes;
    }

    static String render(String id, String name, ClientAuthMethod method, String subjectDn, String sanDns,
            List<String> uris, String scopes, List<String> pins, String alg, String sector) {
        StringBuilder b = new StringBuilder();
        b.append("client_id=").append(escape(id)).append('\n');
        b.append("client_name=").append(escape(name)).append('\n');
        b.append("# tls_client_auth (CA-issued certificate, subject must match) or self_signed_tls_client_auth\n");
        b.append("token_endpoint_auth_method=").append(method.value()).append('\n');
        if (subjectDn != null || sanDns != null) {
            b.append("# tls_client_auth only: one of these must match the certificate\n");
            if (subjectDn != null) b.append("tls_client_auth_subject_dn=").append(escape(subjectDn)).append('\n');
            if (sanDns != null) b.append("tls_client_auth_san_dns=").append(escape(sanDns)).append('\n');
        }
        b.append("# space-separated, exact match\n");
        b.append("redirect_uris=").append(escape(String.join(" ", uris))).append('\n');
        b.append("# space-separated; national_number must be listed explicitly to be allowed\n");
        b.append("scopes=").append(escape(scopes)).append('\n');
        b.append("# space-separated SHA-256 thumbprints (base64url, x5t#S256) of the client's current certificates\n");
        b.append("pins=").append(String.join(" ", pins)).append('\n');
        b.append("# ES256 (default), RS256 or PS256\n");
        b.append("id_token_signed_response_alg=").append(escape(alg)).append('\n');
        b.append("# pairwise sector; default: the host of the first redirect URI\n");
        b.append("sector_identifier=").append(escape(sector)).append('\n');
        return b.toString();
    }

    /**
     * A properties value that {@link java.util.Properties#load} reads back exactly: backslashes
     * doubled, a leading space kept, and line breaks or other control characters (refused before
     * this point anyway) written as escapes, so no value can ever start a line of its own.
     */
    static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                default -> {
                    if (i == 0 && (c == ' ' || c == '#' || c == '!')) b.append('\\').append(c);
                    else if (ControlCharacters.is(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** The registration text with its {@code pins} line replaced (comments and other lines kept). */
    static String withPins(String content, List<String> pins) {
        String line = "pins=" + String.join(" ", pins);
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        boolean trailingNewline = content.endsWith("\n");
        if (trailingNewline) lines.remove(lines.size() - 1);
        Pattern key = Pattern.compile("^\\s*pins\\s*[=:\\s].*|^\\s*pins$");
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (key.matcher(lines.get(i)).matches()) {
                // a value continued on the next lines (trailing backslash) is replaced as a whole
                while (lines.get(i).endsWith("\\") && i + 1 < lines.size()) lines.remove(i + 1);
                lines.set(i, line);
                replaced = true;
                break;
            }
        }
        if (!replaced) lines.add(line);
        return String.join("\n", lines) + "\n";
    }

    // ---- list, show, remove ----------------------------------------------------------------

    void list(Args a) {
        a.operands();
        List<ClientFile> clients = home.clients();
        List<BrokenFiles.Broken> broken = BrokenFiles.scan(home).stream().filter(b -> b.file().startsWith("clients/")).toList();
        if (clients.isEmpty() && broken.isEmpty()) out.println("no clients");
        for (ClientFile c : clients) {
            out.printf("%-24s %-28s %d pin%s  %s%n", c.client().clientId(), c.client().authMethod().value(),
                    c.pins().size(), c.pins().size() == 1 ? " " : "s", c.client().name());
        }
        // a registration that does not parse is refused by the server: listed so that it is not forgotten
        for (BrokenFiles.Broken b : broken) {
            out.printf("%-24s REFUSED: %s does not parse (%s)%n", AdminHome.stem(Path.of(b.file())), b.file(), b.why());
        }
    }

    void show(Args a) {
        a.operands("ID");
        ClientFile c = home.client(a.operand(0));
        for (String line : c.content().split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith("!")) out.println(t);
        }
        for (String pin : c.pins()) {
            Path f = home.pinFile(pin);
            out.println("pin " + pin + ":");
            if (!Files.isRegularFile(f)) {
                out.println("  certificate file missing: trust/pinned/" + pin + ".pem");
                continue;
            }
            X509Certificate cert = Certificates.read(f).get(0);
            out.print(Certificates.describe(cert, "  "));
            if (Certificates.notAfter(cert).isBefore(home.now())) out.println("  EXPIRED");
        }
    }

    void remove(Args a) {
        a.operands("ID");
        // a registration that does not parse can always be removed: that is how an operator clears it
        ClientFile c = home.clientForRemoval(a.operand(0));
        String id = a.operand(0);
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String pin : c.pins()) {
            if (home.otherClientsPinning(pin, id).isEmpty()) deleted.add(pin);
            else kept.add(pin);
        }
        AtomicFiles.delete(c.file());
        for (String pin : deleted) AtomicFiles.delete(home.pinFile(pin));
        boolean reload = home.regenerateTruststore();
        home.audit("client remove", "client=" + id + " pins=" + join(c.pins()) + " deleted=" + join(deleted));
        out.println("removed client " + id);
        for (String pin : deleted) out.println("  deleted trust/pinned/" + pin + ".pem");
        for (String pin : kept) out.println("  kept trust/pinned/" + pin + ".pem (pinned by " + String.join(", ", home.otherClientsPinning(pin, id)) + ")");
        if (reload) out.println(AdminHome.TRUSTSTORE_CHANGED);
    }

    // ---- pins --------------------------------------------------------------------------------

    void pinAdd(Args a) {
        a.operands("ID", "FILE.pem");
        home.requireIntact();
        ClientFile c = home.client(a.operand(0));
        X509Certificate cert = checkPinnable(c, Path.of(a.operand(1)));
        String pin = AdminHome.x5t(cert);
        List<String> pins = new ArrayList<>(c.pins());
        pins.add(pin);
        String content = withPins(c.content(), pins);
        AdminHome.parseClient(c.file(), content);

        writePinFile(cert);
        AtomicFiles.write(c.file(), content.getBytes(StandardCharsets.UTF_8), false);
        boolean reload = home.regenerateTruststore();
        home.audit("pin add", "client=" + c.client().clientId() + " x5t=" + pin);
        out.println("pinned for client " + c.client().clientId() + " (" + pins.size() + " pin" + (pins.size() == 1 ? "" : "s") + "):");
        out.print(Certificates.describe(cert, "  "));
        if (reload) out.println(AdminHome.TRUSTSTORE_CHANGED);
    }

    void pinRemove(Args a) {
        a.operands("ID", "X5T");
        ClientFile c = home.client(a.operand(0));
        String id = c.client().clientId();
        String pin = a.operand(1);
        if (!c.pins().contains(pin)) throw new AdminException("client '" + id + "' has no pin '" + pin + "' (see: idsvc client show " + id + ")");
        List<String> pins = new ArrayList<>(c.pins());
        pins.remove(pin);
        String content = withPins(c.content(), pins);
        AdminHome.parseClient(c.file(), content);
        boolean shared = !home.otherClientsPinning(pin, id).isEmpty();

        AtomicFiles.write(c.file(), content.getBytes(StandardCharsets.UTF_8), false);
        if (!shared) AtomicFiles.delete(home.pinFile(pin));
        boolean reload = home.regenerateTruststore();
        home.audit("pin remove", "client=" + id + " x5t=" + pin);
        out.println("removed pin " + pin + " from client " + id + (shared ? "" : "; deleted trust/pinned/" + pin + ".pem"));
        if (pins.isEmpty()) out.println("client " + id + " has no pin left: it cannot authenticate until one is added");
        if (reload) out.println(AdminHome.TRUSTSTORE_CHANGED);
    }

    /**
     * The certificate of {@code file} if it may be pinned for {@code c}: not a CA, not expired,
     * self-signed for self_signed_tls_client_auth; for tls_client_auth chaining to a client CA,
     * matching the registered subject and not revoked by an imported CRL; not pinned already.
     */
    X509Certificate checkPinnable(ClientFile c, Path file) {
        List<X509Certificate> certs = Certificates.read(file);
        X509Certificate leaf = certs.get(0);
        Client client = c.client();
        String id = client.clientId();
        if (Certificates.isCa(leaf)) {
            throw new AdminException(file + " holds a CA certificate (" + Certificates.subject(leaf)
                    + "), not a client certificate; a CA is trusted with: idsvc ca add");
        }
        Instant now = home.now();
        if (Certificates.notAfter(leaf).isBefore(now)) {
            throw new AdminException(file + ": the certificate expired on " + Certificates.notAfter(leaf));
        }
        if (client.authMethod() == ClientAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH) {
            if (!SelfSigned.is(leaf)) {
                throw new AdminException("client '" + id + "' uses self_signed_tls_client_auth but the certificate in " + file
                        + " is issued by " + Certificates.issuer(leaf) + ", not self-signed");
            }
        } else {
            checkChain(file, certs, now);
            boolean dn = client.subjectDn() != null && new X500Principal(client.subjectDn()).equals(leaf.getSubjectX500Principal());
            boolean san = !client.sanDns().isEmpty() && Certificates.dnsNames(leaf).stream().anyMatch(client.sanDns()::contains);
            if (!dn && !san) {
                throw new AdminException("the certificate in " + file + " does not match client '" + id + "': "
                        + (client.subjectDn() != null
                                ? "subject " + Certificates.subject(leaf) + " is not " + client.subjectDn()
                                : "no DNS name " + String.join(" ", client.sanDns()) + " among its subject alternative names"));
            }
            for (Map.Entry<String, X509CRL> crl : home.crls().entrySet()) {
                if (crl.getValue().getIssuerX500Principal().equals(leaf.getIssuerX500Principal()) && crl.getValue().isRevoked(leaf)) {
                    throw new AdminException("the certificate in " + file + " is revoked (trust/crl/" + crl.getKey() + ".crl)");
                }
            }
        }
        String pin = AdminHome.x5t(leaf);
        if (c.pins().contains(pin)) throw new AdminException("client '" + id + "' already pins " + pin);
        return leaf;
    }

    private void checkChain(Path file, List<X509Certificate> certs, Instant now) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (List<X509Certificate> cas : home.cas().values()) {
            for (X509Certificate ca : cas) anchors.add(new TrustAnchor(ca, null));
        }
        if (anchors.isEmpty()) {
            throw new AdminException("no CA in trust/client-ca/: a tls_client_auth certificate must chain to one (idsvc ca add)");
        }
        List<X509Certificate> path = new ArrayList<>();
        path.add(certs.get(0));
        for (X509Certificate c : certs.subList(1, certs.size())) {
            if (!SelfSigned.is(c)) path.add(c);
        }
        X509Certificate leaf = certs.get(0);
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            // a certificate issued ahead of a rotation may be pinned before it becomes valid
            Instant at = leaf.getNotBefore().toInstant().isAfter(now) ? leaf.getNotBefore().toInstant() : now;
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            throw new AdminException("the certificate in " + file + " (issued by " + Certificates.issuer(leaf)
                    + ") does not chain to a CA in trust/client-ca/: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new AdminException("cannot validate the certificate in " + file + ": " + e.getMessage());
        }
    }

    private void writePinFile(X509Certificate cert) {
        Path f = home.pinFile(AdminHome.x5t(cert));
        // named by the certificate's hash: an existing file already holds this very certificate
        if (!Files.isRegularFile(f)) AtomicFiles.write(f, Pem.encode(cert).getBytes(StandardCharsets.US_ASCII), false);
    }

    private static String join(List<String> v) {
        return v.isEmpty() ? "-" : String.join(",", v);
    }
}
