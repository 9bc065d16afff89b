package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.testclient.RelyingParty;

/** Introspection (RFC 7662) and revocation (RFC 7009) on the mtls host, each client for its own tokens only. */
@Tag(ServerUnderTest.EVERY_SERVER)
class TokenLifecycleIT {
    final ServerUnderTest s = ServerUnderTest.get();

    private URI introspect() {
        return s.mtlsBase().resolve("/introspect");
    }

    private URI revoke() {
        return s.mtlsBase().resolve("/revoke");
    }

    @Test
    void introspectionDescribesOwnTokensOnly() {
        RelyingParty demo = Flows.demoClient(s);
        String at = (String) Flows.tokens(s, demo, "openid profile").get("access_token");
        HttpResponse<String> mine = demo.postForm(introspect(), Map.of("token", at, "client_id", "demo-client"));
        assertEquals(200, mine.statusCode(), mine.body());
        Map<String, Object> m = RelyingParty.json(mine.body());
        assertEquals(true, m.get("active"));
        assertEquals("openid profile", m.get("scope"));
        assertEquals("demo-client", m.get("client_id"));
        assertEquals("Bearer", m.get("token_type"));
        assertEquals(s.issuer(), m.get("iss"));
        assertEquals(Map.of("x5t#S256", CertificateThumbprint.x5tS256(s.client(ServerUnderTest.DEMO_CLIENT).certificate())), m.get("cnf"));

        RelyingParty other = Flows.otherClient(s);
        HttpResponse<String> theirs = other.postForm(introspect(), Map.of("token", at, "client_id", "other-client"));
        assertEquals(Map.of("active", false), RelyingParty.json(theirs.body()));
        HttpResponse<String> unknown = demo.postForm(introspect(), Map.of("token", "nonsense", "client_id", "demo-client"));
        assertEquals(Map.of("active", false), RelyingParty.json(unknown.body()));
    }

    @Test
    void revocationEndsOwnTokensAndIgnoresOthers() {
        RelyingParty demo = Flows.demoClient(s);
        RelyingParty other = Flows.otherClient(s);
        String at = (String) Flows.tokens(s, demo, "openid").get("access_token");

        HttpResponse<String> notTheirs = other.postForm(revoke(), Map.of("token", at, "client_id", "other-client"));
        assertEquals(200, notTheirs.statusCode());
        assertEquals(200, demo.userinfo(at).statusCode(), "another client revoked demo-client's token");

        HttpResponse<String> mine = demo.postForm(revoke(), Map.of("token", at, "client_id", "demo-client"));
        assertEquals(200, mine.statusCode(), mine.body());
        assertEquals(401, demo.userinfo(at).statusCode());
        assertEquals(Map.of("active", false),
                RelyingParty.json(demo.postForm(introspect(), Map.of("token", at, "client_id", "demo-client")).body()));
        assertEquals(200, demo.postForm(revoke(), Map.of("token", at, "client_id", "demo-client")).statusCode(),
                "revoking an unknown token is not an error (RFC 7009 §2.2)");
    }

    @Test
    void bothRequireClientAuthenticationAndAToken() {
        RelyingParty demo = Flows.demoClient(s);
        RelyingParty stranger = new RelyingParty("demo-client", demo.redirectUri(), s.mtlsBase(), s.sslContext(ServerUnderTest.UNREGISTERED));
        for (URI endpoint : new URI[] {introspect(), revoke()}) {
            HttpResponse<String> unauthenticated = stranger.postForm(endpoint, Map.of("token", "x", "client_id", "demo-client"));
            assertEquals(401, unauthenticated.statusCode());
            assertEquals("invalid_client", RelyingParty.json(unauthenticated.body()).get("error"));
            HttpResponse<String> noToken = demo.postForm(endpoint, Map.of("client_id", "demo-client"));
            assertEquals(400, noToken.statusCode());
            assertEquals("invalid_request", RelyingParty.json(noToken.body()).get("error"));
        }
    }
}
