package be.idsvc.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.clientauth.ClientAuthenticator.AuthenticatedClient;
import be.idsvc.core.Identity;
import be.idsvc.core.OAuthError;
import be.idsvc.core.Pkce;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.json.Json;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.revocation.Pki;
import be.idsvc.store.FlowStore.CodeLookup;
import be.idsvc.token.TokenRequest;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;

/** Issue 13 defects 3, 9, 10 (first half) and 13 at the endpoints, on a real demo home and H2 store. */
class HardeningEndpointsTest {
    @TempDir
    Path dir;

    private static final Identity ALICE = new Identity("85073003328", Map.of("name", "Alice Specimen"),
            "urn:be:idsvc:acr:sandbox-test", List.of("test"), 1_700_000_000L);

    // ---- defect 3: introspection applies the still-valid rules of userinfo -----------------------

    @Test
    void introspectionOfATokenBoundToARemovedPinIsInactive() throws Exception {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        Issued second = CertificateIssuer.selfSignedClient("CN=other-client-2,O=Identification Service Demo,C=BE");
        String secondPin = pin(f, "other-client", second);
        String at = tokenBoundTo(f, "other-client", secondPin);
        X509Certificate asker = f.demo.otherClient().certificate();

        assertEquals(true, introspect(f, "other-client", at, asker).get("active"));
        unpin(f, "other-client", secondPin);
        assertEquals(Map.of("active", false), introspect(f, "other-client", at, asker));
    }

    @Test
    void introspectionOfATokenBoundToARevokedCertificateIsInactive() throws Exception {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        Issued second = CertificateIssuer.client(f.demo.ca(), DemoHome.DEMO_CLIENT_DN);
        String secondPin = pin(f, "demo-client", second);
        String at = tokenBoundTo(f, "demo-client", secondPin);
        X509Certificate asker = f.demo.demoClient().certificate();

        assertEquals(true, introspect(f, "demo-client", at, asker).get("active"));
        Instant now = Instant.now();
        Files.createDirectories(f.home.resolve("trust/crl"));
        Files.write(f.home.resolve("trust/crl/demo-ca.crl"), Pki.crl(f.demo.ca(), now.minusSeconds(60), now.plus(Duration.ofDays(1)),
                Map.of(second.certificate().getSerialNumber(), now.minusSeconds(30))).getEncoded());
        f.clock.passCheckInterval();
        assertEquals(Map.of("active", false), introspect(f, "demo-client", at, asker));
        assertEquals(true, introspect(f, "demo-client", tokenBoundTo(f, "demo-client", CertificateThumbprint.x5tS256(asker)), asker)
                .get("active"), "the CRL does not list the asking certificate");
    }

    @Test
    void introspectionWithTheBoundCertificateItselfStillWorks() {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        X509Certificate demo = f.demo.demoClient().certificate();
        Map<String, Object> m = introspect(f, "demo-client", tokenBoundTo(f, "demo-client", CertificateThumbprint.x5tS256(demo)), demo);
        assertEquals(true, m.get("active"));
        assertEquals(Map.of("x5t#S256", CertificateThumbprint.x5tS256(demo)), m.get("cnf"));
    }

    // ---- defect 9: the signing key is checked before the code is burnt ---------------------------

    @Test
    void aMissingSigningKeyAnswers503AndLeavesTheCodeRedeemable() throws Exception {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        Path clientFile = f.home.resolve("clients/other-client.properties");
        Files.writeString(clientFile, Files.readString(clientFile)
                .replaceAll("(?m)^id_token_signed_response_alg=.*$", "id_token_signed_response_alg=RS256"));
        Path rsa;
        try (var keys = Files.newDirectoryStream(f.home.resolve("keys/signing"), "rs*.jwk")) {
            rsa = keys.iterator().next();
        }
        Path aside = f.home.resolve("keys/rsa.aside");
        Files.move(rsa, aside);
        f.clock.passCheckInterval();

        String verifier = Secrets.newHandle();
        long now = f.c.now();
        String code = f.c.store.issueCode(new CodeGrant("other-client", "http://127.0.0.1:8766/callback", Pkce.s256(verifier), "n",
                Set.of(Scope.OPENID), ALICE), now + 60);
        TokenRequest request = new TokenRequest("authorization_code", code, "http://127.0.0.1:8766/callback", verifier, "other-client");
        AuthenticatedClient client = f.c.clientAuthenticator.authenticate("other-client", new X509Certificate[] {f.demo.otherClient().certificate()});

        OAuthError e = assertThrows(OAuthError.class, () -> f.c.codeGrant.exchange(request, client, now));
        assertEquals(503, e.status());
        assertEquals("temporarily_unavailable", e.code());
        assertEquals(CodeLookup.Status.VALID, f.c.store.findCode(code, now).status(), "the refused request burnt the code");

        Files.move(aside, rsa);
        f.clock.passCheckInterval();
        assertEquals("RS256", org.jose4j.jws.JsonWebSignature.fromCompactSerialization(
                f.c.codeGrant.exchange(request, client, now).idToken()).getAlgorithmHeaderValue());
    }

    // ---- defect 10 (first half): bare parameters at /authorize --------------------------------------

    @Test
    void aBareUiLocalesWithoutClientIdIsAnErrorPage() {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        AuthorizeEndpoint authorize = new AuthorizeEndpoint(f.c.browserFlow, f.c.settings);
        for (List<String> names : List.of(List.of("ui_locales"), List.of("ui_locales", "client_id"), List.of("client_id", "ui_locales", "redirect_uri"))) {
            MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
            // "name" without "=" in a form arrives as a null value
            for (String n : names) form.put(n, new ArrayList<>(Arrays.asList((String) null)));
            Response r = authorize.post(form, null, null);
            assertEquals(400, r.getStatus(), names.toString());
        }
    }

    // ---- defect 13: the Bearer scheme is case-insensitive -------------------------------------------

    @Test
    void userinfoAcceptsTheBearerSchemeInAnyCase() {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        X509Certificate demo = f.demo.demoClient().certificate();
        String at = tokenBoundTo(f, "demo-client", CertificateThumbprint.x5tS256(demo));
        UserinfoEndpoint userinfo = new UserinfoEndpoint(f.c.settings, f.c.store, f.c.tokenBinding, f.c.clock);
        // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1)
        for (String scheme : List.of("Bearer ", "bearer ", "BEARER ", "bEARER ", "Bearer   ")) {
            assertEquals(200, userinfo.get(scheme + at, MtlsEndpointsFixture.requestWith(demo)).getStatus(), scheme);
        }
        for (String malformed : List.of("Basic " + at, "Bearer", "Bearer ", "Bearerx " + at, "Bearer " + at + " x")) {
            assertEquals(400, userinfo.get(malformed, MtlsEndpointsFixture.requestWith(demo)).getStatus(), malformed);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Pins {@code cert} for the client (registration and trust/pinned, as `idsvc pin add` does); returns the pin. */
    private static String pin(MtlsEndpointsFixture f, String clientId, Issued cert) throws Exception {
        String pin = CertificateThumbprint.x5tS256(cert.certificate());
        Files.writeString(f.home.resolve("trust/pinned/" + pin + ".pem"), cert.certificatePem());
        Path file = f.home.resolve("clients/" + clientId + ".properties");
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^pins=(.*)$", "pins=$1 " + pin));
        f.clock.passCheckInterval();
        return pin;
    }

    private static void unpin(MtlsEndpointsFixture f, String clientId, String pin) throws Exception {
        Path file = f.home.resolve("clients/" + clientId + ".properties");
        Files.writeString(file, Files.readString(file).replace(" " + pin, ""));
        Files.delete(f.home.resolve("trust/pinned/" + pin + ".pem"));
        f.clock.passCheckInterval();
    }

    /** An access token of the client bound to the certificate with thumbprint {@code pin}, as the code grant stores it. */
    private static String tokenBoundTo(MtlsEndpointsFixture f, String clientId, String pin) {
        long now = f.c.now();
        String code = f.c.store.issueCode(new CodeGrant(clientId, "http://127.0.0.1:8765/callback", "c", null, Set.of(Scope.OPENID), ALICE), now + 60);
        String at = Secrets.newHandle();
        f.c.store.redeemCode(code, at, new AccessTokenGrant(clientId, pin, Set.of(Scope.OPENID), Map.of("sub", "s-1"), now + 300), now);
        return at;
    }

    private static Map<String, Object> introspect(MtlsEndpointsFixture f, String clientId, String token, X509Certificate asker) {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("token", token);
        form.putSingle("client_id", clientId);
        Response r = new IntrospectionEndpoint(f.c.settings, f.c.clientAuthenticator, f.c.tokenBinding, f.c.store, f.c.clock).introspect(form, MtlsEndpointsFixture.requestWith(asker));
        assertEquals(200, r.getStatus());
        try {
            return Json.readObject(Json.write(r.getEntity()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
