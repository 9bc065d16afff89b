package be.idsvc.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import be.idsvc.admin.IdsvcCli;
import be.idsvc.core.Identity;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.json.Json;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.token.TokenResponse;
import be.idsvc.web.JsonResponses;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;

/**
 * Issue 21: the documents the service answers are, byte for byte, what jose4j wrote before the
 * move to Jackson (src/test/resources/json-golden, captured with the same inputs from the old
 * code). The body is written as Jersey's JacksonFeature writes it: the mapper it is given, UTF-8.
 */
class JsonWireCompatibilityTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JERSEY = Json.forJaxRs();

    static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/json-golden", name), StandardCharsets.UTF_8);
    }

    private static String wire(Response r) throws Exception {
        return new String(JERSEY.writeValueAsBytes(r.getEntity()), StandardCharsets.UTF_8);
    }

    @Test
    void discoveryTokenErrorsAndHealth() throws Exception {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        assertEquals(golden("discovery.json"), wire(new DiscoveryEndpoint(f.c.settings).get()));
        assertEquals(golden("token.json"), wire(JsonResponses.json(200, new TokenResponse("AbC-_x", 300, "eyJ.eyJ.sig", "openid profile"))));
        assertEquals(golden("error.json"), wire(JsonResponses.error(400, "invalid_request", "redirect_uri \"http://x/é\" \u2028 is not registered")));
        assertEquals(golden("error-no-description.json"), wire(JsonResponses.error(401, "invalid_client", null)));
        assertEquals(golden("revoke.json"), wire(JsonResponses.json(200, Map.of())));
        assertEquals(golden("health.json"), wire(new HealthEndpoint(f.c.role, f.c.storeProbe, f.c.clock).get()));
        assertEquals(golden("health-ready.json"), wire(new HealthEndpoint(f.c.role, f.c.storeProbe, f.c.clock).ready()));
    }

    @Test
    void introspection() throws Exception {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        String clientId = "demo-client";
        String pin = CertificateThumbprint.x5tS256(f.demo.demoClient().certificate());
        Identity alice = new Identity("85073003328", Map.of("name", "Alice"), "urn:be:idsvc:acr:sandbox-test", List.of("test"), 1_700_000_000L);
        long now = f.c.now();
        String code = f.c.store.issueCode(new CodeGrant(clientId, "http://127.0.0.1:8765/callback", "c", null, Set.of(Scope.OPENID), alice), now + 60);
        String at = Secrets.newHandle();
        f.c.store.redeemCode(code, at, new AccessTokenGrant(clientId, pin, Set.of(Scope.OPENID, Scope.PROFILE), Map.of("sub", "s-1/+"), 4_000_000_000L), now);
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("token", at);
        form.putSingle("client_id", clientId);
        // the golden file was captured on another demo home: another certificate
        assertEquals(golden("introspection-active.json").replace("Cf_sAtI8kjqGsxiloItgGSeMicYkCNo0tnpw3RnVsL4", pin),
                wire(new IntrospectionEndpoint(f.c.settings, f.c.clientAuthenticator, f.c.tokenBinding, f.c.store, f.c.clock).introspect(form, MtlsEndpointsFixture.requestWith(f.demo.demoClient().certificate()))));
        form.putSingle("token", "nope");
        assertEquals(golden("introspection-inactive.json"),
                wire(new IntrospectionEndpoint(f.c.settings, f.c.clientAuthenticator, f.c.tokenBinding, f.c.store, f.c.clock).introspect(form, MtlsEndpointsFixture.requestWith(f.demo.demoClient().certificate()))));
    }

    @Test
    void userinfoOfClaimsThatWentThroughTheStore() throws Exception {
        MtlsEndpointsFixture f = new MtlsEndpointsFixture(dir);
        Map<String, Object> claims = be.idsvc.store.StoredJsonCompatibilityTest.claims();
        String pin = CertificateThumbprint.x5tS256(f.demo.demoClient().certificate());
        long now = f.c.now();
        Identity id = new Identity("85073003328", claims, "urn:be:idsvc:acr:sandbox-test", List.of("test"), 1_700_000_000L);
        String code = f.c.store.issueCode(new CodeGrant("demo-client", "http://127.0.0.1:8765/callback", "c", null, Set.of(Scope.OPENID), id), now + 60);
        String at = Secrets.newHandle();
        f.c.store.redeemCode(code, at, new AccessTokenGrant("demo-client", pin, Set.of(Scope.OPENID), claims, 4_000_000_000L), now);
        Map<String, Object> back = f.c.store.findAccessToken(at, now).orElseThrow().claims();
        assertEquals(golden("userinfo.json"), wire(JsonResponses.json(200, back)));
    }

    @Test
    void theCliPrintsTheSameClaims() throws Exception {
        for (boolean photo : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> args = new java.util.ArrayList<>(List.of("readout", "verify", "docs/examples/beidconnect-virtual-2017.readout.json",
                    "--trust", "docs/examples/test-trust", "--lenient", "--at", "2024-01-01T00:00:00Z"));
            if (photo) args.add("--photo");
            assertEquals(0, IdsvcCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            assertEquals(golden(photo ? "readout-verify-photo.out" : "readout-verify.out"), out.toString(StandardCharsets.UTF_8));
        }
    }
}
