package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.config.ServiceHome;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.identify.SandboxCards;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/** The whole code flow across both deployments of the real server, for each client auth method. */
@Tag(ServerUnderTest.EVERY_SERVER)
class CodeFlowIT {
    final ServerUnderTest s = ServerUnderTest.get();

    @Test
    void discoveryOnTheMtlsHostDescribesBothHosts() {
        Map<String, Object> d = Flows.demoClient(s).discovery();
        String mtls = "https://localhost:" + s.mtlsPort();
        String pub = "https://localhost:" + s.publicPort();
        assertEquals(mtls, d.get("issuer"));
        assertEquals(pub + "/authorize", d.get("authorization_endpoint"));
        assertEquals(mtls + "/token", d.get("token_endpoint"));
        assertEquals(mtls + "/userinfo", d.get("userinfo_endpoint"));
        assertEquals(mtls + "/jwks", d.get("jwks_uri"));
        assertEquals(List.of("code"), d.get("response_types_supported"));
        assertEquals(List.of("authorization_code"), d.get("grant_types_supported"));
        assertEquals(List.of("S256"), d.get("code_challenge_methods_supported"));
        assertEquals(List.of("pairwise"), d.get("subject_types_supported"));
        assertEquals(List.of("tls_client_auth", "self_signed_tls_client_auth"), d.get("token_endpoint_auth_methods_supported"));
        assertEquals(true, d.get("tls_client_certificate_bound_access_tokens"));
        assertEquals(mtls + "/revoke", d.get("revocation_endpoint"));
        assertEquals(mtls + "/introspect", d.get("introspection_endpoint"));
        assertEquals(Map.of("token_endpoint", mtls + "/token", "userinfo_endpoint", mtls + "/userinfo",
                "revocation_endpoint", mtls + "/revoke", "introspection_endpoint", mtls + "/introspect"), d.get("mtls_endpoint_aliases"));
        assertEquals(List.of("openid", "profile", "address", "eid", "national_number", "photo"), d.get("scopes_supported"));
        assertTrue(((List<?>) d.get("claims_supported")).containsAll(List.of("sub", "acr", "amr", "auth_time", "name", "address",
                "card_number", "national_number", "photo")));
        assertEquals(List.of("ES256", "RS256", "PS256"), d.get("id_token_signing_alg_values_supported"));
    }

    @Test
    void tlsClientAuthFlowReleasesTheConsentedClaims() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        Authorization auth = rp.authorization("openid profile address eid photo");
        Map<String, String> callback = Flows.toCallback(s, Flows.browser(s), auth, "approve");
        assertEquals(auth.state(), callback.get("state"));
        assertEquals(s.issuer(), callback.get("iss"));

        HttpResponse<String> token = rp.token(callback.get("code"), auth.verifier());
        assertEquals(200, token.statusCode(), token.body());
        assertEquals("no-store", token.headers().firstValue("Cache-Control").orElse(""));
        Map<String, Object> t = RelyingParty.json(token.body());
        assertEquals("Bearer", t.get("token_type"));
        assertEquals(60L, t.get("expires_in"));
        assertEquals("openid profile address eid photo", t.get("scope"));

        JwtClaims id = rp.verifyIdToken((String) t.get("id_token"), auth.nonce());
        assertEquals("ES256", JsonWebSignature.fromCompactSerialization((String) t.get("id_token")).getAlgorithmHeaderValue());
        assertEquals(s.issuer(), id.getIssuer());
        assertEquals(List.of("demo-client"), id.getAudience());
        assertEquals("urn:be:idsvc:acr:sandbox-test", id.getStringClaimValue("acr"));
        assertEquals(List.of("test"), id.getStringListClaimValue("amr"));
        assertTrue(id.getClaimValue("auth_time", Long.class) <= id.getIssuedAt().getValue());
        assertFalse(id.hasClaim("name"), "profile claims come from userinfo, not the ID token");

        HttpResponse<String> ui = rp.userinfo((String) t.get("access_token"));
        assertEquals(200, ui.statusCode(), ui.body());
        Map<String, Object> u = RelyingParty.json(ui.body());
        assertEquals(id.getSubject(), u.get("sub"));
        // The demo home's first virtual test card (RSA-2048; target/it/home/sandbox/cards/alice/readout.json).
        assertEquals("Alice Marie Specimen", u.get("name"));
        assertEquals("Alice Marie", u.get("given_name"));
        assertEquals("Specimen", u.get("family_name"));
        assertEquals("1985-03-14", u.get("birthdate"));
        assertEquals("female", u.get("gender"));
        assertEquals(Map.of("street_address", "Teststraat 12", "postal_code", "3000", "locality", "Leuven", "country", "BE"), u.get("address"));
        assertEquals("592100001223", u.get("card_number"));
        assertEquals("Leuven", u.get("place_of_birth"));
        assertFalse(u.containsKey("national_number"), "national_number was neither allowed nor asked");
    }

    /** The EC P-384 virtual card: every claim the card carries arrives in userinfo exactly as the card says. */
    @Test
    void ecCardFlowReleasesTheCardsExactValues() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        Authorization auth = rp.authorization("openid profile address eid photo");
        Map<String, String> callback = Flows.toCallback(s, Flows.browser(s), auth, "approve", "bob");
        Map<String, Object> t = RelyingParty.json(rp.token(callback.get("code"), auth.verifier()).body());
        JwtClaims id = rp.verifyIdToken((String) t.get("id_token"), auth.nonce());
        assertEquals("urn:be:idsvc:acr:sandbox-test", id.getStringClaimValue("acr"));
        Map<String, Object> u = RelyingParty.json(rp.userinfo((String) t.get("access_token")).body());
        assertEquals("urn:be:idsvc:acr:sandbox-test", u.get("acr"));
        assertEquals(List.of("test"), u.get("amr"));
        assertEquals("Bob Specimen", u.get("name"));
        assertEquals("Bob", u.get("given_name"));
        assertEquals("Specimen", u.get("family_name"));
        assertEquals("1970-11-02", u.get("birthdate"));
        assertEquals("male", u.get("gender"));
        assertEquals(Map.of("street_address", "Rue de l'Exemple 7 bte 3", "postal_code", "5000", "locality", "Namur", "country", "BE"),
                u.get("address"));
        assertEquals("Belge", u.get("nationality"));
        assertEquals("Namur", u.get("place_of_birth"));
        assertEquals("592100003445", u.get("card_number"));
        assertEquals("2025-01-15", u.get("card_validity_begin"));
        assertEquals("2035-01-15", u.get("card_validity_end"));
        assertEquals("Namur", u.get("card_delivery_municipality"));
        assertEquals("1", u.get("document_type"));
        // and the same values as the service's verifier reads from the card's files, photo included
        SandboxCards.Card bob = new SandboxCards(s.home().resolve("sandbox/cards")).find("bob").orElseThrow();
        assertEquals("EC", bob.authenticationKey().getAlgorithm());
        Map<String, Object> card = new EidTrustConfig(ServiceHome.at(s.home()), Clock.systemUTC()).verifier().orElseThrow()
                .verify(bob.readout(), null, false).claims();
        for (Map.Entry<String, Object> e : card.entrySet()) {
            if (e.getKey().equals("national_number")) assertFalse(u.containsKey("national_number"));
            else assertEquals(e.getValue(), u.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void selfSignedClientFlowAndPairwiseSubjectsDifferAcrossClients() throws Exception {
        RelyingParty other = Flows.otherClient(s);
        Authorization auth = other.authorization("openid profile");
        Map<String, String> callback = Flows.toCallback(s, Flows.browser(s), auth, "approve");
        HttpResponse<String> token = other.token(callback.get("code"), auth.verifier());
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> t = RelyingParty.json(token.body());
        JwtClaims otherId = other.verifyIdToken((String) t.get("id_token"), auth.nonce());
        Map<String, Object> u = RelyingParty.json(other.userinfo((String) t.get("access_token")).body());
        assertEquals(otherId.getSubject(), u.get("sub"));
        assertEquals("Alice Marie Specimen", u.get("name"));
        assertFalse(u.containsKey("address"), "address scope was not asked");

        RelyingParty demo = Flows.demoClient(s);
        Authorization a2 = demo.authorization("openid");
        Map<String, String> cb2 = Flows.toCallback(s, Flows.browser(s), a2, "approve");
        Map<String, Object> t2 = RelyingParty.json(demo.token(cb2.get("code"), a2.verifier()).body());
        JwtClaims demoId = demo.verifyIdToken((String) t2.get("id_token"), a2.nonce());
        assertNotEquals(demoId.getSubject(), otherId.getSubject(), "the same person must not be linkable across clients");

        Authorization a3 = demo.authorization("openid");
        Map<String, String> cb3 = Flows.toCallback(s, Flows.browser(s), a3, "approve");
        Map<String, Object> t3 = RelyingParty.json(demo.token(cb3.get("code"), a3.verifier()).body());
        assertEquals(demoId.getSubject(), demo.verifyIdToken((String) t3.get("id_token"), a3.nonce()).getSubject(),
                "the subject is stable for one client");
    }

    @Test
    void denyRedirectsWithAccessDeniedAndState() {
        RelyingParty rp = Flows.demoClient(s);
        Authorization auth = rp.authorization("openid");
        Map<String, String> callback = Flows.toCallback(s, Flows.browser(s), auth, "deny");
        assertEquals("access_denied", callback.get("error"));
        assertEquals(auth.state(), callback.get("state"));
        assertFalse(callback.containsKey("code"));
    }

    @Test
    void jwksOnBothHostsCarryKids() {
        Browser b = Flows.browser(s);
        HttpResponse<String> pub = b.get(s.publicBase().resolve("/jwks"));
        assertEquals(200, pub.statusCode());
        HttpResponse<String> mtls = Flows.demoClient(s).get(s.mtlsBase().resolve("/jwks"), Map.of());
        assertEquals(pub.body(), mtls.body());
        List<?> keys = (List<?>) RelyingParty.json(pub.body()).get("keys");
        assertEquals(2, keys.size());
        for (Object k : keys) {
            Map<?, ?> key = (Map<?, ?>) k;
            assertTrue(key.containsKey("kid"));
            assertFalse(key.containsKey("d"), "private key material published");
        }
    }

    @Test
    void pagesForbidFramingAndCarryAStrictPolicy() {
        RelyingParty rp = Flows.demoClient(s);
        Browser b = Flows.browser(s);
        HttpResponse<String> page = b.follow(b.get(rp.authorization("openid").url()), Flows.publicOrigin(s));
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none';"
                + " form-action 'self' http://127.0.0.1:8765", page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertTrue(page.body().contains("id=\"test-banner\""), "the sandbox page must be marked as a test");
        assertTrue(page.body().contains("<select id=\"person\" name=\"person\""));
        assertTrue(page.body().contains("id=\"identify\""));
    }

    @Test
    void aCodeIssuedBeforeARestartIsRedeemedAfterIt() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        Map<String, Object> before = Flows.tokens(s, rp, "openid");
        Flows.CodeAndAuth c = Flows.code(s, rp, "openid profile"); // last: the restart must fit in its 60 s
        s.restart();
        RelyingParty after = Flows.demoClient(s);
        HttpResponse<String> token = after.token(c.code(), c.auth().verifier());
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> t = RelyingParty.json(token.body());
        assertEquals("Alice Marie Specimen", RelyingParty.json(after.userinfo((String) t.get("access_token")).body()).get("name"));
        assertEquals(200, after.userinfo((String) before.get("access_token")).statusCode(), "an access token survives the restart");
    }
}
