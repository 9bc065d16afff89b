package be.idsvc.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;

/**
 * Creates a complete demo service home (docs/service-home.md) and the matching client-side demo
 * material: a demo CA, the server certificate, two registered clients (one CA-issued, one
 * self-signed), one CA-issued certificate registered nowhere, signing keys, and the sandbox's demo eID
 * authorities with virtual test cards.
 */
public final class DemoHome {
    public static final String CA_DN = "CN=Identification Service Demo CA,O=Identification Service Demo,C=BE";
    public static final String DEMO_CLIENT_DN = "CN=demo-client,O=Identification Service Demo,C=BE";
    public static final String OTHER_CLIENT_DN = "CN=other-client,O=Identification Service Demo,C=BE";
    public static final String UNREGISTERED_DN = "CN=unregistered,O=Identification Service Demo,C=BE";
    public static final String SCOPES = "openid profile address eid photo";

    /** Entries of a home that {@code --force} replaces; anything else in the directory is left alone. */
    static final List<String> HOME_ENTRIES = List.of("idsvc.properties", "keys", "clients", "trust", "sandbox", "tls",
            "store", "audit.log");

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Options(Path home, Path demo, int publicPort, int mtlsPort, boolean force) {
        public Options {
            home = home.toAbsolutePath().normalize();
            demo = demo.toAbsolutePath().normalize();
            checkPort(publicPort);
            checkPort(mtlsPort);
            if (publicPort == mtlsPort) throw new IllegalArgumentException("the public and mtls ports must differ");
        }

        public Options(Path home, Path demo) {
            this(home, demo, 8443, 9443, false);
        }

        private static void checkPort(int port) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("not a TCP port: " + port);
        }

        public String issuer() {
            return baseUrl(mtlsPort);
        }

        public String publicBaseUrl() {
            return baseUrl(publicPort);
        }

        private static String baseUrl(int port) {
            return port == 443 ? "https://localhost" : "https://localhost:" + port;
        }
    }

    /** Thrown when the home exists and {@code force} is not set. */
    public static final class HomeExistsException extends RuntimeException {
        public HomeExistsException(String message) {
            super(message);
        }
    }

    private final Options options;
    private final PrintStream out;

    private DemoHome(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * What was made. The CA's private key is written nowhere: only a caller holding this result
     * (the integration tests) can issue more certificates under the demo CA.
     */
    public record Result(Options options, Issued ca, Issued server, Issued demoClient, Issued otherClient,
            Issued unregistered) {}

    /** Creates the home and the demo material; prints each file it writes on {@code out}. */
    public static Result create(Options options, PrintStream out) {
        return new DemoHome(options, out).run();
    }

    private Result run() {
        Path home = options.home();
        Path demo = options.demo();
        prepareHome(home);

        // PKI
        Issued ca = CertificateIssuer.certificateAuthority(CA_DN);
        Issued server = CertificateIssuer.localhostServer(ca);
        Issued demoClient = CertificateIssuer.client(ca, DEMO_CLIENT_DN);
        Issued otherClient = CertificateIssuer.selfSignedClient(OTHER_CLIENT_DN);
        Issued unregistered = CertificateIssuer.client(ca, UNREGISTERED_DN);
        String demoPin = CertificateThumbprint.x5tS256(demoClient.certificate());
        String otherPin = CertificateThumbprint.x5tS256(otherClient.certificate());

        write(home.resolve("idsvc.properties"), properties(), false);

        // signing keys and the pairwise secret
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        try {
            PublicJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            ec.setKeyId("es256-" + day + "-" + randomHex(4));
            ec.setUse("sig");
            ec.setAlgorithm("ES256");
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            rsa.setKeyId("rs256-" + day + "-" + randomHex(4));
            rsa.setUse("sig");
            // no alg: this key signs RS256 and PS256 ID tokens, and a key that names one may not sign the other
            for (PublicJsonWebKey k : List.of(ec, rsa)) {
                write(home.resolve("keys/signing/" + k.getKeyId() + ".jwk"),
                        k.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE) + "\n", true);
            }
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate the signing keys", e);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        write(home.resolve("keys/pairwise.secret"), Base64.getUrlEncoder().withoutPadding().encodeToString(secret), true);

        // trust anchors and the certificate behind each pin
        write(home.resolve("trust/client-ca/demo-ca.pem"), ca.certificatePem(), false);
        write(home.resolve("trust/pinned/" + demoPin + ".pem"), demoClient.certificatePem(), false);
        write(home.resolve("trust/pinned/" + otherPin + ".pem"), otherClient.certificatePem(), false);

        // clients
        write(home.resolve("clients/demo-client.properties"), client("demo-client", "Demo client", "tls_client_auth",
                DEMO_CLIENT_DN, "http://127.0.0.1:8765/callback", demoPin, "127.0.0.1", null), false);
        write(home.resolve("clients/other-client.properties"), client("other-client", "Other demo client",
                TlsTrustMaterial.SELF_SIGNED, null, "http://127.0.0.1:8766/callback", otherPin, "other-client.demo",
                "# Both demo clients redirect to 127.0.0.1: a sector of its own keeps their subs unlinkable."), false);

        // sandbox eID: demo authorities (keys in keys/sandbox/), trusted in this demo home only, and virtual cards
        SandboxCardMaker sandbox = new SandboxCardMaker();
        write(home.resolve("keys/sandbox/rrn-root-key.pem"), SandboxCardMaker.pem(sandbox.root.privateKey()), true);
        write(home.resolve("keys/sandbox/rrn-root.pem"), SandboxCardMaker.pem(sandbox.root.certificate()), false);
        write(home.resolve("keys/sandbox/rrn-rsa-key.pem"), SandboxCardMaker.pem(sandbox.rrnRsa.privateKey()), true);
        write(home.resolve("keys/sandbox/rrn-rsa.pem"), SandboxCardMaker.pem(sandbox.rrnRsa.certificate()), false);
        write(home.resolve("keys/sandbox/rrn-ec-key.pem"), SandboxCardMaker.pem(sandbox.rrnEc.privateKey()), true);
        write(home.resolve("keys/sandbox/rrn-ec.pem"), SandboxCardMaker.pem(sandbox.rrnEc.certificate()), false);
        write(home.resolve("keys/sandbox/citizen-ca-key.pem"), SandboxCardMaker.pem(sandbox.citizenCa.privateKey()), true);
        write(home.resolve("trust/eid/rrn-ca/sandbox-rrn-root.pem"), SandboxCardMaker.pem(sandbox.root.certificate()), false);
        write(home.resolve("trust/eid/citizen-ca/sandbox-citizen-ca.pem"), SandboxCardMaker.pem(sandbox.citizenCa.certificate()), false);
        for (SandboxCardMaker.Holder h : SandboxCardMaker.holders()) {
            SandboxCardMaker.MadeCard card = sandbox.make(h);
            write(home.resolve("sandbox/cards/" + h.id() + "/readout.json"), card.readoutJson(), true);
            write(home.resolve("sandbox/cards/" + h.id() + "/auth-key.pem"), SandboxCardMaker.pem(card.authenticationKey()), true);
        }

        // the server's TLS material and the derived truststore
        write(home.resolve("tls/server.pem"), server.chainPem(), false);
        write(home.resolve("tls/server-key.pem"), server.privateKeyPem(), true);
        mkdirs(home.resolve("store"));
        Path truststore = TlsTrustMaterial.writeClientTrustStore(home);
        out.println("created " + truststore + " (" + TlsTrustMaterial.trustedCertificates(home).size() + " trusted certificates)");

        write(home.resolve("audit.log"), Instant.now() + " demo-home user=" + System.getProperty("user.name")
                + " created the demo service home (clients demo-client, other-client; CA " + CertificateThumbprint.x5tS256(ca.certificate()) + ")\n", false);

        // the client side
        write(demo.resolve("ca.pem"), ca.certificatePem(), false);
        write(demo.resolve("demo-client.pem"), demoClient.certificatePem(), false);
        write(demo.resolve("demo-client-key.pem"), demoClient.privateKeyPem(), true);
        write(demo.resolve("other-client.pem"), otherClient.certificatePem(), false);
        write(demo.resolve("other-client-key.pem"), otherClient.privateKeyPem(), true);
        write(demo.resolve("unregistered.pem"), unregistered.certificatePem(), false);
        write(demo.resolve("unregistered-key.pem"), unregistered.privateKeyPem(), true);

        out.println("service home " + home + ": issuer " + options.issuer() + ", public " + options.publicBaseUrl());
        out.println("  demo-client  (tls_client_auth)             pin " + demoPin);
        out.println("  other-client (self_signed_tls_client_auth) pin " + otherPin);
        out.println("  unregistered (same CA, registered nowhere)  pin " + CertificateThumbprint.x5tS256(unregistered.certificate()));
        return new Result(options, ca, server, demoClient, otherClient, unregistered);
    }

    private void prepareHome(Path home) {
        if (Files.isDirectory(home) && !isEmpty(home)) {
            if (!options.force()) {
                throw new HomeExistsException("refusing to overwrite the existing service home " + home + " (use --force)");
            }
            for (String entry : HOME_ENTRIES) {
                Path p = home.resolve(entry);
                if (Files.exists(p)) {
                    deleteRecursively(p);
                    out.println("removed " + p);
                }
            }
        } else if (Files.exists(home) && !Files.isDirectory(home)) {
            throw new HomeExistsException(home + " exists and is not a directory");
        }
        mkdirs(home);
    }

    private String properties() {
        return """
                # The issuer: the mtls deployment's base URL, no trailing slash.
                issuer=%s
                # Base URL of the public deployment (authorize, readout and consent pages).
                public_base_url=%s
                access_token_ttl_seconds=300
                id_token_ttl_seconds=300
                # DESIGN §5: at most 60 s.
                code_ttl_seconds=60
                # How long a person has between authorize and consent.
                flow_ttl_seconds=600

                # eID trust (trust/eid/rrn-ca/, trust/eid/citizen-ca/). This DEMO home trusts only the
                # sandbox's demo roots; a production home trusts the Belgian roots of server-config/eid-trust/.
                # Expected subject of the National Register certificate (production: CN=RRN, O=RRN, C=BE).
                eid.rrn_subject=%s
                # Check birth date and gender parity in national numbers (test cards may break them).
                eid.strict_national_numbers=true
                # Offer the virtual test cards of sandbox/cards/ on /identify. Never true in production.
                eid.sandbox_virtual_cards=true
                """.formatted(options.issuer(), options.publicBaseUrl(), SandboxCardMaker.RRN_DN);
    }

    private static String client(String id, String name, String method, String subjectDn, String redirectUri,
            String pin, String sector, String sectorComment) {
        StringBuilder b = new StringBuilder();
        b.append("client_id=").append(id).append('\n');
        b.append("client_name=").append(name).append('\n');
        b.append("# tls_client_auth (CA-issued certificate, subject must match) or self_signed_tls_client_auth\n");
        b.append("token_endpoint_auth_method=").append(method).append('\n');
        if (subjectDn != null) {
            b.append("# tls_client_auth only: one of these must match the certificate\n");
            b.append("tls_client_auth_subject_dn=").append(subjectDn).append('\n');
        }
        b.append("# space-separated, exact match\n");
        b.append("redirect_uris=").append(redirectUri).append('\n');
        b.append("# space-separated; national_number must be listed explicitly to be allowed\n");
        b.append("scopes=").append(SCOPES).append('\n');
        b.append("# space-separated SHA-256 thumbprints (base64url, x5t#S256) of the client's current certificates\n");
        b.append("pins=").append(pin).append('\n');
        b.append("# ES256 (default), RS256 or PS256\n");
        b.append("id_token_signed_response_alg=ES256\n");
        b.append("# pairwise sector; default: the host of the first redirect URI\n");
        if (sectorComment != null) b.append(sectorComment).append('\n');
        b.append("sector_identifier=").append(sector).append('\n');
        return b.toString();
    }

    /** Belgian national register number YYMMDDSSSCC; CC = 97 - (YYMMDDSSS mod 97), over 2YYMMDDSSS from 2000 on. */
    static String nationalNumber(LocalDate birth, int serial) {
        String body = birth.format(DateTimeFormatter.ofPattern("yyMMdd")) + String.format("%03d", serial);
        long n = Long.parseLong(birth.getYear() >= 2000 ? "2" + body : body);
        return body + String.format("%02d", 97 - n % 97);
    }

    /** eID card number: 10 digits and a check of their value mod 97 (97 for 0). */
    static String cardNumber(long first10) {
        long c = first10 % 97;
        return String.format("%010d%02d", first10, c == 0 ? 97 : c);
    }

    private void write(Path file, String content, boolean secret) {
        mkdirs(file.getParent());
        try {
            Files.deleteIfExists(file);
            if (secret && supportsPosix(file.getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " appeared while writing it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        out.println("created " + file + (secret ? " (mode 600)" : ""));
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteRecursively(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
