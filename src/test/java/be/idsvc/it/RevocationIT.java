package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.revocation.Pki;
import be.idsvc.testclient.RelyingParty;

/**
 * A CRL imported with `idsvc crl import` into the running server's home refuses the revoked
 * certificate at the token and userinfo endpoints within seconds, and nobody else. CRL fetching and
 * OCSP with a loopback responder are proven by the unit tests of be.idsvc.revocation.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class RevocationIT {
    final ServerUnderTest s = ServerUnderTest.get();

    @Test
    void anImportedCrlRevokesACaIssuedClientAtTokenAndUserinfo() throws Exception {
        String dn = "CN=rev-client,O=Identification Service Test,C=BE";
        Issued cert = CertificateIssuer.client(s.demoCa(), dn);
        RelyingParty rp = new RelyingParty("rev-client", "http://127.0.0.1:8770/callback", s.mtlsBase(), s.sslContext(cert));
        AdminCli.run(s, "client", "add", "rev-client", "--auth", "tls_client_auth", "--subject-dn", dn,
                "--redirect-uri", "http://127.0.0.1:8770/callback", "--scopes", "openid profile", "--cert", AdminCli.file(cert.certificatePem()));
        try {
            String at = tokenWithin5Seconds(rp);
            assertEquals(200, rp.userinfo(at).statusCode());
            Flows.CodeAndAuth pending = Flows.code(s, rp, "openid");

            Instant now = Instant.now();
            AdminCli.run(s, "crl", "import", AdminCli.file(Pki.pem(Pki.crl(s.demoCa(), now.minusSeconds(60), now.plus(Duration.ofDays(1)),
                    Map.of(cert.certificate().getSerialNumber(), now.minusSeconds(30))))));

            long end = System.currentTimeMillis() + 5000;
            HttpResponse<String> userinfo;
            do {
                userinfo = rp.userinfo(at);
                if (userinfo.statusCode() == 401) break;
                Thread.sleep(200);
            } while (System.currentTimeMillis() < end);
            assertEquals(401, userinfo.statusCode(), "the revoked certificate still gets userinfo");
            assertEquals("invalid_token", RelyingParty.json(userinfo.body()).get("error"));
            HttpResponse<String> token = rp.token(pending.code(), pending.auth().verifier());
            assertEquals(401, token.statusCode(), token.body());
            assertEquals("invalid_client", RelyingParty.json(token.body()).get("error"));

            RelyingParty demo = Flows.demoClient(s);
            assertEquals(200, demo.userinfo((String) Flows.tokens(s, demo, "openid").get("access_token")).statusCode(),
                    "a CRL of the same CA that does not list demo-client must not refuse it");
            assertTrue(s.log().contains("revocation: refused client rev-client certificate x5t#S256="
                    + CertificateThumbprint.x5tS256(cert.certificate())), "the refusal says why in the log");
        } finally {
            // No command un-imports a CRL short of removing its CA; the test tidies up the file itself.
            for (Path f : Files.newDirectoryStream(s.home().resolve("trust/crl"))) Files.delete(f);
            AdminCli.run(s, "client", "remove", "rev-client");
        }
    }

    private String tokenWithin5Seconds(RelyingParty rp) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (true) {
            try {
                return (String) Flows.tokens(s, rp, "openid profile").get("access_token");
            } catch (AssertionError | RuntimeException e) {
                if (System.currentTimeMillis() > end) fail("the new client was not accepted within 5 s: " + e.getMessage());
                Thread.sleep(200);
            }
        }
    }
}
