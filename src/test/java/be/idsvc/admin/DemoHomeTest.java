package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;
import java.util.Properties;
import java.util.stream.Stream;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.ServiceHome;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.eid.ReadoutVerifier;
import be.idsvc.eid.VerifiedCard;
import be.idsvc.identify.SandboxCards;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;

class DemoHomeTest {
    @TempDir
    Path dir;

    @Test
    void nationalNumbersCarryTheMod97Checksum() {
        assertEquals("85031400226", DemoHome.nationalNumber(LocalDate.of(1985, 3, 14), 2));
        assertEquals("03072100489", DemoHome.nationalNumber(LocalDate.of(2003, 7, 21), 4));
        for (SandboxCardMaker.Holder h : SandboxCardMaker.holders()) {
            String nn = h.person().nationalNumber();
            assertEquals(11, nn.length());
            assertEquals(checksum(nn.substring(0, 9), h.person().birthDate().endsWith("2003")), nn.substring(9), h.id());
            String card = h.person().cardNumber();
            long c = Long.parseLong(card.substring(0, 10)) % 97;
            assertEquals(String.format("%02d", c == 0 ? 97 : c), card.substring(10));
        }
        assertEquals("592100001223", SandboxCardMaker.holders().get(0).person().cardNumber());
    }

    /** The demo home's virtual cards pass the service's own verifier with the home's own eID trust, challenge included. */
    @Test
    void sandboxCardsVerifyWithTheHomesTrustOnly() throws Exception {
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        EidTrustConfig eid = new EidTrustConfig(ServiceHome.at(home), Clock.systemUTC());
        assertTrue(eid.sandboxVirtualCards());
        assertTrue(eid.strictNationalNumbers());
        assertEquals(new X500Principal(SandboxCardMaker.RRN_DN), eid.expectedRrnSubject());
        ReadoutVerifier verifier = eid.verifier().orElseThrow();
        SandboxCards cards = new SandboxCards(ServiceHome.at(home).sandboxCardsDir());
        assertEquals(List.of("alice", "bob", "chloe"), cards.all().stream().map(SandboxCards.Listed::id).toList());
        for (String id : List.of("alice", "bob", "chloe")) {
            for (String f : List.of("readout.json", "auth-key.pem")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("sandbox/cards/" + id + "/" + f))));
            }
        }
        for (String f : List.of("rrn-root-key.pem", "rrn-rsa-key.pem", "rrn-ec-key.pem", "citizen-ca-key.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("keys/sandbox/" + f))));
        }
        SandboxCards.Card alice = cards.find("alice").orElseThrow();
        SandboxCards.Card bob = cards.find("bob").orElseThrow();
        assertEquals("RSA", alice.authenticationKey().getAlgorithm());
        assertEquals("EC", bob.authenticationKey().getAlgorithm());
        assertEquals("RSA", Pem.toX509(java.util.Arrays.copyOf(alice.readout().rrnCertificate(), 2000)).getPublicKey().getAlgorithm());
        byte[] challenge = new byte[32];
        new java.security.SecureRandom().nextBytes(challenge);
        VerifiedCard a = verifier.verify(alice.readout().withAuthSignature(alice.signChallenge(challenge)), challenge, true);
        assertTrue(a.challengeVerified());
        assertEquals("Alice Marie Specimen", a.claims().get("name"));
        assertEquals("1985-03-14", a.claims().get("birthdate"));
        assertEquals("female", a.claims().get("gender"));
        assertEquals("85031400226", a.claims().get("national_number"));
        VerifiedCard b = verifier.verify(bob.readout().withAuthSignature(bob.signChallenge(challenge)), challenge, true);
        assertEquals("Bob Specimen", b.claims().get("name"));
        assertEquals("1970-11-02", b.claims().get("birthdate"));
        assertEquals("male", b.claims().get("gender"));
        assertEquals(Map.of("street_address", "Rue de l'Exemple 7 bte 3", "postal_code", "5000", "locality", "Namur", "country", "BE"),
                b.claims().get("address"));
        assertEquals("2003-07-21", verifier.verify(cards.find("chloe").orElseThrow().readout(), null, false).claims().get("birthdate"));
    }

    private static String checksum(String nine, boolean y2k) {
        long n = Long.parseLong(y2k ? "2" + nine : nine);
        return String.format("%02d", 97 - n % 97);
    }

    @Test
    void createsTheHomeAndRefusesToOverwriteIt() throws Exception {
        Path home = dir.resolve("home");
        Path demo = dir.resolve("demo");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, IdsvcCli.run(new String[] {"demo-home", "--home", home.toString(), "--demo", demo.toString(),
                "--public-port", "18443", "--mtls-port", "19443"}, new PrintStream(out), System.err));

        Properties settings = props(Files.readString(home.resolve("idsvc.properties")));
        assertEquals("https://localhost:19443", settings.getProperty("issuer"));
        assertEquals("https://localhost:18443", settings.getProperty("public_base_url"));
        assertEquals("true", settings.getProperty("eid.sandbox_virtual_cards"));

        try (Stream<Path> keys = Files.list(home.resolve("keys/signing"))) {
            List<Path> jwks = keys.toList();
            assertEquals(2, jwks.size());
            for (Path f : jwks) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(f));
                assertEquals(jwk.getKeyId() + ".jwk", f.getFileName().toString());
                assertEquals("sig", jwk.getUse());
                assertTrue(jwk.getPrivateKey() != null);
                // the RSA key names no alg: it signs RS256 and PS256 alike
                assertEquals(jwk.getKeyType().equals("EC") ? "ES256" : null, jwk.getAlgorithm());
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                assertTrue(jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).length() > 0);
            }
        }
        assertEquals(43, Files.readString(home.resolve("keys/pairwise.secret")).length());

        X509Certificate demoClient = Pem.certificates(demo.resolve("demo-client.pem")).get(0);
        assertEquals(DemoHome.DEMO_CLIENT_DN, demoClient.getSubjectX500Principal().getName());
        Properties reg = props(Files.readString(home.resolve("clients/demo-client.properties")));
        assertEquals(demoClient.getSubjectX500Principal().getName(), reg.getProperty("tls_client_auth_subject_dn"));
        assertEquals(CertificateThumbprint.x5tS256(demoClient), reg.getProperty("pins"));
        assertTrue(Files.exists(home.resolve("trust/pinned/" + reg.getProperty("pins") + ".pem")));
        assertEquals(Pem.privateKey(demo.resolve("demo-client-key.pem")).getAlgorithm(), "EC");

        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(home.resolve("tls/client-truststore.p12"))) {
            ts.load(in, "public".toCharArray());
        }
        assertEquals(2, ts.size()); // the demo CA and other-client's self-signed certificate
        X509Certificate other = Pem.certificates(demo.resolve("other-client.pem")).get(0);
        assertTrue(ts.getCertificateAlias(other) != null);
        assertTrue(ts.getCertificateAlias(Pem.certificates(demo.resolve("ca.pem")).get(0)) != null);
        assertEquals(2, Pem.certificates(home.resolve("tls/server.pem")).size());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, IdsvcCli.run(new String[] {"demo-home", "--home", home.toString(), "--demo", demo.toString()},
                new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString().contains("--force"), err.toString());
        assertEquals(0, IdsvcCli.run(new String[] {"demo-home", "--home", home.toString(), "--demo", demo.toString(), "--force"},
                new PrintStream(out), System.err));
        assertThrows(IllegalArgumentException.class, () -> new DemoHome.Options(home, demo, 1, 1, false));
    }

    private static Properties props(String text) {
        Properties p = new Properties();
        try (Reader r = new java.io.StringReader(text)) {
            p.load(r);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return p;
    }

    @SuppressWarnings("unused")
    private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
