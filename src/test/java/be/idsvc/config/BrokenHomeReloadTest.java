package be.idsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.TrustAnchor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.clientauth.TlsTrustMaterial;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;

/**
 * Issue 13, defect 2: one unparseable file froze the whole directory at its last good contents, so
 * later removals were ignored. Each file is parsed on its own: a broken file disables what it
 * describes (never its old version), and every other change, removals first of all, still applies.
 */
class BrokenHomeReloadTest {
    @TempDir
    Path dir;
    Path home;
    DemoHome.Result demo;
    final TestClock clock = new TestClock();

    @BeforeEach
    void createHome() {
        home = dir.resolve("home");
        demo = DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(OutputStream.nullOutputStream()));
    }

    private void write(String relative, String content) throws Exception {
        Path f = home.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        // a distinct mtime, so the watcher sees the change however coarse the file system's clock is
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + (long) (Math.random() * 100_000)));
    }

    private String read(String relative) throws Exception {
        return Files.readString(home.resolve(relative));
    }

    private void waitForReload() {
        clock.passCheckInterval();
    }

    private static String pin(Issued c) {
        return CertificateThumbprint.x5tS256(c.certificate());
    }

    @Test
    void aBrokenClientIsRefusedAndAPinRemovalOnAnotherStillApplies() throws Exception {
        ClientRegistry registry = new ClientRegistry(ServiceHome.at(home), clock);
        assertEquals(Set.of(pin(demo.demoClient())), registry.find("demo-client").orElseThrow().pins());
        assertTrue(registry.find("other-client").isPresent());

        write("clients/other-client.properties", read("clients/other-client.properties").replaceAll("(?m)^redirect_uris=.*$", "redirect_uris="));
        write("clients/demo-client.properties", read("clients/demo-client.properties").replaceAll("(?m)^pins=.*$", "pins="));
        waitForReload();

        assertEquals(Optional.empty(), registry.find("other-client"), "the broken client kept its old registration");
        assertEquals(Set.of(), registry.find("demo-client").orElseThrow().pins(), "the pin removal was ignored");
        assertEquals(List.of("demo-client"), registry.all().stream().map(c -> c.clientId()).toList());
        assertEquals(Optional.of(home.resolve("clients/other-client.properties") + ": redirect_uris is missing"),
                registry.whyRefused("other-client"));
        assertEquals(Optional.empty(), registry.whyRefused("demo-client"));

        // fixed: back in service
        write("clients/other-client.properties", read("clients/other-client.properties").replaceAll("(?m)^redirect_uris=$",
                "redirect_uris=http://127.0.0.1:8766/callback"));
        waitForReload();
        assertTrue(registry.find("other-client").isPresent());
        assertEquals(Optional.empty(), registry.whyRefused("other-client"));
    }

    @Test
    void aBrokenClientAtStartUpIsRefusedAndTheOthersServe() throws Exception {
        write("clients/other-client.properties", "client_id=other-client\ntoken_endpoint_auth_method=basic\n");
        ClientRegistry registry = new ClientRegistry(ServiceHome.at(home), clock);
        assertEquals(Optional.empty(), registry.find("other-client"));
        assertTrue(registry.find("demo-client").isPresent());
    }

    @Test
    void aBrokenCaFileIsNotTrustedAndTheRemovalOfAnotherCaApplies() throws Exception {
        Issued second = CertificateIssuer.certificateAuthority("CN=Second CA,O=Test,C=BE");
        write("trust/client-ca/second.pem", second.certificatePem());
        ClientCaStore store = new ClientCaStore(ServiceHome.at(home), clock);
        assertEquals(2, store.anchors().size());

        write("trust/client-ca/second.pem", "not a certificate\n");
        Files.delete(home.resolve("trust/client-ca/demo-ca.pem"));
        waitForReload();
        assertEquals(Set.of(), store.anchors(), "a CA stayed trusted after its file was broken or removed");

        write("trust/client-ca/second.pem", second.certificatePem());
        waitForReload();
        assertEquals(Set.of(second.certificate()), store.anchors().stream().map(TrustAnchor::getTrustedCert).collect(Collectors.toSet()));
    }

    @Test
    void eidAnchorsReloadFileByFile() throws Exception {
        EidTrustConfig eid = new EidTrustConfig(ServiceHome.at(home), clock);
        assertTrue(eid.verifier().isPresent());
        // one broken RRN anchor file, and every other RRN anchor removed: the readout is off, not frozen
        try (var files = Files.list(home.resolve("trust/eid/rrn-ca"))) {
            for (Path f : files.toList()) Files.delete(f);
        }
        write("trust/eid/rrn-ca/broken.pem", "not a certificate\n");
        waitForReload();
        assertTrue(eid.verifier().isEmpty(), "the removed RRN anchors are still trusted");
    }

    @Test
    void theTlsLayerDropsWhatABrokenFileDescribesAndKeepsTheRest() throws Exception {
        String otherAlias = "pinned-other-client-" + pin(demo.otherClient()).toLowerCase(java.util.Locale.ROOT);
        assertEquals(Set.of("client-ca-demo-ca", otherAlias), TlsTrustMaterial.trustedCertificates(home).keySet());

        write("trust/client-ca/bad.pem", "not a certificate\n");
        assertEquals(Set.of("client-ca-demo-ca", otherAlias), TlsTrustMaterial.trustedCertificates(home).keySet());

        // other-client (self-signed, pinned at the TLS layer) breaks: its pin leaves the truststore
        write("clients/other-client.properties", read("clients/other-client.properties").replaceAll("(?m)^redirect_uris=.*$", "redirect_uris="));
        assertEquals(Set.of("client-ca-demo-ca"), TlsTrustMaterial.trustedCertificates(home).keySet());

        // a pin whose certificate file is missing or wrong is left out, the rest stays
        write("clients/other-client.properties", read("clients/other-client.properties").replaceAll("(?m)^redirect_uris=$",
                "redirect_uris=http://127.0.0.1:8766/callback"));
        write("trust/pinned/" + pin(demo.otherClient()) + ".pem", Pem.encode(demo.demoClient().certificate()));
        assertEquals(Set.of("client-ca-demo-ca"), TlsTrustMaterial.trustedCertificates(home).keySet());
    }
}
