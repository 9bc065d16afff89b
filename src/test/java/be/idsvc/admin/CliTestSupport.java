package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;

/** A fresh demo home per test, the CLI run in-process on it, and snapshots of the home's files. */
abstract class CliTestSupport {
    static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;
    Path home;
    Path demoDir;
    DemoHome.Result demo;
    /** "Now" for the commands: fixed, so audit lines are exact. */
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    record Result(int exit, String out, String err) {}

    @BeforeEach
    void createHome() {
        home = dir.resolve("home");
        demoDir = dir.resolve("demo");
        demo = DemoHome.create(new DemoHome.Options(home, demoDir), new PrintStream(OutputStream.nullOutputStream()));
    }

    Result idsvc(String... args) {
        return idsvcAt(now, args);
    }

    Result idsvcAt(Instant at, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = IdsvcCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(at, ZoneOffset.UTC));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts a refused command: exit status, the exact one-line message, and an unchanged home. */
    void assertRefused(int exit, String message, String... args) {
        Map<String, String> before = snapshot();
        Result r = idsvc(args);
        assertEquals(message + "\n", r.err(), "stderr");
        assertEquals(exit, r.exit(), "exit status");
        assertEquals("", r.out(), "stdout");
        assertEquals(before, snapshot(), "the home changed");
    }

    /** Every file of the home by relative path, with the SHA-256 of its content (but the empty lock file every change takes). */
    Map<String, String> snapshot() {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.equals(home.resolve("admin.lock"))).toList()) {
                m.put(home.relativize(p).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    String read(String relative) {
        try {
            return Files.readString(home.resolve(relative));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> auditLines() {
        return List.of(read("audit.log").split("\n"));
    }

    String lastAuditLine() {
        List<String> l = auditLines();
        return l.get(l.size() - 1);
    }

    String audit(String rest) {
        return now + " user=" + USER + " " + rest;
    }

    /** The truststore's aliases, sorted, and checks each entry is the certificate named. */
    List<String> truststoreAliases() {
        try (InputStream in = Files.newInputStream(home.resolve(TlsTrustMaterial.TRUSTSTORE))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, TlsTrustMaterial.TRUSTSTORE_PASSWORD.toCharArray());
            List<String> a = Collections.list(ks.aliases());
            for (String alias : a) assertEquals(true, ks.isCertificateEntry(alias), alias);
            Collections.sort(a);
            return a;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    X509Certificate truststoreCertificate(String alias) throws Exception {
        try (InputStream in = Files.newInputStream(home.resolve(TlsTrustMaterial.TRUSTSTORE))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, TlsTrustMaterial.TRUSTSTORE_PASSWORD.toCharArray());
            return (X509Certificate) ks.getCertificate(alias);
        }
    }

    Path writeFile(String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Path pem(String name, Issued issued) {
        return writeFile(name, issued.certificatePem());
    }

    static String pin(Issued i) {
        return AdminHome.x5t(i.certificate());
    }

    static Issued client(Issued ca, String dn, int validDays) {
        Instant n = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return CertificateIssuer.client(ca, dn, n.minus(1, ChronoUnit.HOURS), n.plus(validDays, ChronoUnit.DAYS),
                CertificateIssuer.KeyType.EC_P256);
    }

    /** A CRL signed by {@code ca}, revoking {@code revoked}. */
    static X509CRL crl(Issued ca, Instant thisUpdate, Instant nextUpdate, X509Certificate... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate c : revoked) b.addCRLEntry(c.getSerialNumber(), Date.from(thisUpdate), 1);
        return new JcaX509CRLConverter().getCRL(b.build(
                new JcaContentSignerBuilder(CertificateIssuer.signatureAlgorithm(ca.privateKey())).build(ca.privateKey())));
    }

}
