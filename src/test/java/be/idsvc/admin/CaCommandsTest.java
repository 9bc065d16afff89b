package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;

class CaCommandsTest extends CliTestSupport {
    static final String PARTNER_DN = "CN=Partner CA,O=Partner,C=BE";

    String otherAlias() {
        return "pinned-other-client-" + pin(demo.otherClient()).toLowerCase(Locale.ROOT);
    }

    static String listing(String name, Issued ca, String revocation) {
        return name + ":\n"
                + "  subject:    " + ca.subjectDn() + "\n"
                + "  not after:  " + ca.certificate().getNotAfter().toInstant() + "\n"
                + "  x5t#S256:   " + pin(ca) + "\n"
                + "  revocation: " + revocation + "\n";
    }

    @Test
    void addsListsAndRemovesACa() throws Exception {
        Issued partner = CertificateIssuer.certificateAuthority(PARTNER_DN);
        Result add = idsvc("ca", "add", pem("partner.pem", partner).toString());
        assertEquals(0, add.exit(), add.err());
        assertEquals("trusted CA partner-ca (trust/client-ca/partner-ca.pem):\n" + ClientCommandsTest.describe(partner)
                + "  no revocation configured: import its CRL with: idsvc crl import FILE\n" + AdminHome.TRUSTSTORE_CHANGED + "\n", add.out());
        assertEquals(partner.certificatePem(), read("trust/client-ca/partner-ca.pem"));
        assertEquals(List.of("client-ca-demo-ca", "client-ca-partner-ca", otherAlias()), truststoreAliases());
        assertEquals(partner.certificate(), truststoreCertificate("client-ca-partner-ca"));
        assertEquals(audit("ca add ca=partner-ca x5t=" + pin(partner)), lastAuditLine());

        Result list = idsvc("ca", "list");
        assertEquals(0, list.exit());
        assertEquals(listing("demo-ca", demo.ca(), "none") + listing("partner-ca", partner, "none"), list.out());

        // a client of the new CA can now be pinned
        Issued shop = client(partner, "CN=shop,O=Partner,C=BE", 90);
        assertEquals(0, idsvc("client", "add", "shop", "--auth", "tls_client_auth", "--subject-dn", "CN=shop,O=Partner,C=BE",
                "--redirect-uri", "https://shop.example.org/cb", "--cert", pem("shop.pem", shop).toString()).exit());

        Result remove = idsvc("ca", "remove", "partner-ca");
        assertEquals(0, remove.exit(), remove.err());
        assertEquals("removed CA partner-ca\nwarning: these tls_client_auth clients have certificates from this CA and can"
                + " no longer authenticate: shop\n" + AdminHome.TRUSTSTORE_CHANGED + "\n", remove.out());
        assertFalse(Files.exists(home.resolve("trust/client-ca/partner-ca.pem")));
        assertEquals(List.of("client-ca-demo-ca", otherAlias()), truststoreAliases());
        assertEquals(audit("ca remove ca=partner-ca x5t=" + pin(partner)), lastAuditLine());
    }

    @Test
    void addsUnderAGivenNameAndListsOnlineRevocation() throws Exception {
        Issued partner = CertificateIssuer.certificateAuthority(PARTNER_DN);
        assertEquals(0, idsvc("ca", "add", pem("p.pem", partner).toString(), "--name", "partner").exit());
        assertEquals(partner.certificatePem(), read("trust/client-ca/partner.pem"));
        Files.writeString(home.resolve("idsvc.properties"), read("idsvc.properties") + "revocation.ocsp=true\nrevocation.crl.fetch=true\n");
        assertEquals(listing("demo-ca", demo.ca(), "ocsp+crl-fetch") + listing("partner", partner, "ocsp+crl-fetch"),
                idsvc("ca", "list").out());
    }

    @Test
    void refusesWrongCaInput() {
        Path key = demoDir.resolve("demo-client-key.pem");
        Path clientCert = demoDir.resolve("demo-client.pem");
        Path demoCa = demoDir.resolve("ca.pem");
        Path two = writeFile("two.pem", CertificateIssuer.certificateAuthority("CN=A,C=BE").certificatePem()
                + CertificateIssuer.certificateAuthority("CN=B,C=BE").certificatePem());
        Path partner = pem("partner.pem", CertificateIssuer.certificateAuthority(PARTNER_DN));
        assertRefused(1, "idsvc ca add: " + key + ": expected a certificate, found a private key", "ca", "add", key.toString());
        assertRefused(1, "idsvc ca add: " + clientCert + " holds no CA certificate (" + DemoHome.DEMO_CLIENT_DN
                + " has no basicConstraints CA=true); a client's own certificate is pinned with: idsvc pin add", "ca", "add", clientCert.toString());
        assertRefused(1, "idsvc ca add: this CA is already trusted as 'demo-ca'", "ca", "add", demoCa.toString(), "--name", "again");
        assertRefused(1, "idsvc ca add: a CA named 'demo-ca' already exists (trust/client-ca/demo-ca.pem)",
                "ca", "add", partner.toString(), "--name", "demo-ca");
        assertRefused(1, "idsvc ca add: malformed CA name '../x': use 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)",
                "ca", "add", partner.toString(), "--name", "../x");
        assertRefused(1, "idsvc ca add: " + two + " holds 2 certificates; give one CA certificate per file", "ca", "add", two.toString());
        assertRefused(1, "idsvc ca remove: unknown CA 'nope' (see: idsvc ca list)", "ca", "remove", "nope");
        assertRefused(2, "idsvc: ca add needs FILE.pem\nusage: see idsvc help", "ca", "add");
        assertRefused(2, "idsvc: ca add: --name needs a value\nusage: see idsvc help", "ca", "add", partner.toString(), "--name");
    }

    @Test
    void importsACrlInDerAndPemAndUsesItForPinsAndRevocationStatus() throws Exception {
        X509CRL crl = crl(demo.ca(), now.minus(1, ChronoUnit.HOURS), now.plus(7, ChronoUnit.DAYS), demo.unregistered().certificate());
        Path der = dir.resolve("demo.crl");
        Files.write(der, crl.getEncoded());
        Result r = idsvc("crl", "import", der.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("imported the CRL of CA demo-ca into trust/crl/demo-ca.crl:\n"
                + "  issuer:      " + DemoHome.CA_DN + "\n"
                + "  thisUpdate:  " + now.minus(1, ChronoUnit.HOURS) + "\n"
                + "  nextUpdate:  " + now.plus(7, ChronoUnit.DAYS) + "\n"
                + "  revoked:     1\n", r.out());
        assertArrayEquals(crl.getEncoded(), Files.readAllBytes(home.resolve("trust/crl/demo-ca.crl")));
        assertEquals(audit("crl import ca=demo-ca x5t=" + pin(demo.ca()) + " crl_sha256=" + CertificateThumbprint.of(crl.getEncoded())
                + " revoked=1"), lastAuditLine());
        assertEquals(listing("demo-ca", demo.ca(), "crl"), idsvc("ca", "list").out());

        // a newer CRL in PEM replaces it
        X509CRL newer = crl(demo.ca(), now, now.plus(7, ChronoUnit.DAYS));
        Path pem = writeFile("newer.crl", Pem.encode(newer));
        Result r2 = idsvc("crl", "import", pem.toString());
        assertEquals(0, r2.exit(), r2.err());
        assertArrayEquals(newer.getEncoded(), Files.readAllBytes(home.resolve("trust/crl/demo-ca.crl")));
        // and the older one cannot come back
        assertRefused(1, "idsvc crl import: " + der + ": older than the installed CRL of demo-ca (thisUpdate "
                + now.minus(1, ChronoUnit.HOURS) + " before " + now + ")", "crl", "import", der.toString());
    }

    @Test
    void aRevokedCertificateCannotBePinned() throws Exception {
        Issued next = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 90);
        X509CRL crl = crl(demo.ca(), now.minus(1, ChronoUnit.HOURS), now.plus(7, ChronoUnit.DAYS), next.certificate());
        Path der = dir.resolve("demo.crl");
        Files.write(der, crl.getEncoded());
        assertEquals(0, idsvc("crl", "import", der.toString()).exit());
        Path p = pem("next.pem", next);
        assertRefused(1, "idsvc pin add: the certificate in " + p + " is revoked (trust/crl/demo-ca.crl)", "pin", "add", "demo-client", p.toString());
    }

    @Test
    void refusesCrlsNotSignedByAClientCa() throws Exception {
        Issued foreign = CertificateIssuer.certificateAuthority("CN=Foreign CA,C=BE");
        Path foreignCrl = dir.resolve("foreign.crl");
        Files.write(foreignCrl, crl(foreign, now, now.plus(1, ChronoUnit.DAYS)).getEncoded());
        // same name as the demo CA, another key
        Issued impostor = CertificateIssuer.certificateAuthority(DemoHome.CA_DN);
        Path impostorCrl = dir.resolve("impostor.crl");
        Files.write(impostorCrl, crl(impostor, now, now.plus(1, ChronoUnit.DAYS)).getEncoded());
        Path cert = demoDir.resolve("ca.pem");
        Path key = demoDir.resolve("demo-client-key.pem");
        Path garbage = dir.resolve("garbage.crl");
        Files.write(garbage, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});

        assertRefused(1, "idsvc crl import: " + foreignCrl + ": the CRL of CN=Foreign CA,C=BE is not signed by any CA in trust/client-ca/",
                "crl", "import", foreignCrl.toString());
        assertRefused(1, "idsvc crl import: " + impostorCrl + ": the CRL of " + DemoHome.CA_DN + " is not signed by any CA in trust/client-ca/",
                "crl", "import", impostorCrl.toString());
        assertRefused(1, "idsvc crl import: " + cert + ": expected an X.509 CRL, found a certificate", "crl", "import", cert.toString());
        assertRefused(1, "idsvc crl import: " + key + ": expected an X.509 CRL, found a private key", "crl", "import", key.toString());
        assertRefused(1, "idsvc crl import: " + garbage + ": not an X.509 CRL (DER or PEM)", "crl", "import", garbage.toString());
        Path missing = dir.resolve("missing.crl");
        assertRefused(1, "idsvc crl import: " + missing + ": no such file or not readable", "crl", "import", missing.toString());
    }

    @Test
    void removingACaDropsItsCrlAndWarnsAboutItsClients() throws Exception {
        Path der = dir.resolve("demo.crl");
        Files.write(der, crl(demo.ca(), now, now.plus(7, ChronoUnit.DAYS)).getEncoded());
        assertEquals(0, idsvc("crl", "import", der.toString()).exit());
        Result r = idsvc("ca", "remove", "demo-ca");
        assertEquals(0, r.exit(), r.err());
        assertEquals("removed CA demo-ca and its CRL trust/crl/demo-ca.crl\nwarning: these tls_client_auth clients have"
                + " certificates from this CA and can no longer authenticate: demo-client\n" + AdminHome.TRUSTSTORE_CHANGED + "\n", r.out());
        assertFalse(Files.exists(home.resolve("trust/crl/demo-ca.crl")));
        assertEquals(List.of(otherAlias()), truststoreAliases());
    }
}
