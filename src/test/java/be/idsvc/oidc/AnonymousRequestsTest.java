package be.idsvc.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.DeploymentRole;
import be.idsvc.config.ServiceHome;
import be.idsvc.core.Pkce;
import be.idsvc.core.Secrets;
import be.idsvc.app.ServiceComponents;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Issue 13, defect 7: a request nobody acted on (GET /authorize, GET /readout) writes nothing to
 * the store, and no state or nonce a client may send makes the store overflow (503). On the real
 * demo home and a real H2 store, through the resource classes the servers run.
 */
class AnonymousRequestsTest {
    @TempDir
    static Path dir;
    static JdbcDataSource ds;
    static ServiceComponents c;

    @BeforeAll
    static void components() {
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        c = new ServiceComponents(DeploymentRole.PUBLIC, ServiceHome.at(home), ds, Clock.systemUTC());
    }

    static MultivaluedMap<String, String> request(String state, String nonce) {
        MultivaluedMap<String, String> p = new MultivaluedHashMap<>();
        p.putSingle("response_type", "code");
        p.putSingle("client_id", "demo-client");
        p.putSingle("redirect_uri", "http://127.0.0.1:8765/callback");
        p.putSingle("scope", "openid profile");
        p.putSingle("state", state);
        p.putSingle("nonce", nonce);
        p.putSingle("code_challenge", Pkce.s256(Secrets.newHandle()));
        p.putSingle("code_challenge_method", "S256");
        return p;
    }

    @Test
    void twoHundredAnonymousAuthorizeAndReadoutRequestsWriteNothing() throws Exception {
        AuthorizeEndpoint authorize = new AuthorizeEndpoint(c.browserFlow, c.settings);
        ReadoutPage readout = new ReadoutPage(c.browserFlow, c.settings);
        Map<String, Integer> before = rows();
        for (int i = 0; i < 200; i++) {
            Response a = authorize.post(request("state-" + i, "nonce-" + i), null, null);
            assertEquals(303, a.getStatus());
            String cookie = a.getHeaderString("Set-Cookie").replaceFirst("^[^=]+=([^;]+);.*$", "$1");
            String flow = query(a.getLocation()).get("flow");
            Response r = readout.show(flow, null, null, cookie, PageRequests.noQuery());
            assertEquals(200, r.getStatus(), String.valueOf(r.getEntity()));
            assertTrue(((String) r.getEntity()).contains("name=\"challenge\""));
        }
        assertEquals(before, rows(), "rows per table before and after 200 anonymous GET /authorize + GET /readout");
    }

    @Test
    void longAndOddStateAndNonceAreInvalidRequestsNotAStoreOverflow() throws Exception {
        AuthorizeEndpoint authorize = new AuthorizeEndpoint(c.browserFlow, c.settings);
        Map<String, Integer> before = rows();
        // within the old 2048-character limit: sealed as JSON they overflowed the flow's column (503)
        Response wide = authorize.post(request("\u2000".repeat(2048), "\u2000".repeat(2048)), null, null);
        assertEquals(303, wide.getStatus());
        Map<String, String> q = query(wide.getLocation());
        assertEquals("invalid_request", q.get("error"));
        assertEquals("state is too long", q.get("error_description"));
        assertFalse(q.containsKey("state"), "a refused state is not echoed");

        Response longNonce = authorize.post(request("s", "n".repeat(513)), null, null);
        assertEquals(Map.of("error", "invalid_request", "error_description", "nonce is too long", "state", "s",
                "iss", c.settings.issuer()), query(longNonce.getLocation()));
        Response odd = authorize.post(request("a\u0001b", "n"), null, null);
        assertEquals("state contains control characters", query(odd.getLocation()).get("error_description"));
        Response oddNonce = authorize.post(request("s", "n\r\nSet-Cookie: x"), null, null);
        assertEquals("nonce contains control characters", query(oddNonce.getLocation()).get("error_description"));
        assertEquals(before, rows());

        // the longest state and nonce allowed, in characters that take three bytes each, still start a flow
        Response longest = authorize.post(request("\u20ac".repeat(1024), "\u2028".repeat(512)), null, null);
        assertEquals(303, longest.getStatus());
        assertTrue(longest.getLocation().getPath().endsWith("/identify"), longest.getLocation().toString());
    }

    static Map<String, String> query(URI location) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = location.getRawQuery();
        if (q == null) return out;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Rows in every table of the store (the schema history aside). */
    static Map<String, Integer> rows() throws Exception {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection con = ds.getConnection(); Statement s = con.createStatement()) {
            List<String> tables = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND LOWER(TABLE_NAME) LIKE 'idsvc%' ORDER BY TABLE_NAME")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String t : tables) {
                if (t.equalsIgnoreCase("idsvc_schema_history")) continue;
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"" + t + "\"")) {
                    rs.next();
                    out.put(t.toLowerCase(java.util.Locale.ROOT), rs.getInt(1));
                }
            }
        }
        return out;
    }
}
