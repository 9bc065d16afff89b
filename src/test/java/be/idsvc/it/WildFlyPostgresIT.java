package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import be.idsvc.admin.DemoHome;
import be.idsvc.it.Flows.CodeAndAuth;
import be.idsvc.store.LocalPostgres;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/**
 * WildFly 39 with its store on a real PostgreSQL: {@code scripts/wildfly start} with
 * IDSVC_WILDFLY_STORE=postgresql applies the shipped server-config/wildfly/postgresql.cli after
 * configure.cli. Runs once (no every-server tag: in the Tomcat 10.1 failsafe execution) on its own
 * base directory and ports, so that it collides with neither the WildFly suite nor ClusterIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyPostgresIT {
    static final int PUBLIC_PORT = 47443;
    static final int MTLS_PORT = 47444;
    static final int MTLS_PROXY_PORT = 47480;
    static final int PORT_OFFSET = 39000;

    private static LocalPostgres postgres;
    private static String jdbcUrl;
    private static Server s;

    @BeforeAll
    static void start() throws IOException {
        postgres = LocalPostgres.start();
        jdbcUrl = postgres.createDatabase();
        s = new Server(jdbcUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(WildFlyPostgresIT::stopAll, "wildfly-pg-it-stop"));
        s.script("start");
    }

    @AfterAll
    static void stopAll() {
        try {
            if (s != null) s.script("stop");
        } catch (RuntimeException e) {
            System.err.println("stopping WildFly: " + e.getMessage());
        }
        if (postgres != null) postgres.close();
    }

    @Test
    @Order(1)
    void flywayMigratedThePostgresDatabase() throws SQLException {
        assertEquals(List.of("1", "2", "3", "4"), strings("SELECT version FROM idsvc_schema_history WHERE success ORDER BY installed_rank"));
        assertTrue(s.log().contains("postgresql.jar"), "the driver deployment is in the log");
    }

    @Test
    @Order(2)
    void aCompleteCodeFlowKeepsItsCodeAndTokenInPostgres() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        long codes = count("idsvc_code"), tokens = count("idsvc_access_token");
        Authorization auth = rp.authorization("openid profile address eid");
        Map<String, String> callback = Flows.toCallback(s, Flows.browser(s), auth, "approve");
        assertEquals(auth.state(), callback.get("state"));
        assertEquals(s.issuer(), callback.get("iss"));
        assertEquals(codes + 1, count("idsvc_code"));

        HttpResponse<String> token = rp.token(callback.get("code"), auth.verifier());
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> t = RelyingParty.json(token.body());
        assertEquals("Bearer", t.get("token_type"));
        assertEquals("openid profile address eid", t.get("scope"));
        assertEquals(tokens + 1, count("idsvc_access_token"));
        JwtClaims id = rp.verifyIdToken((String) t.get("id_token"), auth.nonce());
        assertEquals(s.issuer(), id.getIssuer());
        assertEquals("urn:be:idsvc:acr:sandbox-test", id.getStringClaimValue("acr"));

        HttpResponse<String> ui = rp.userinfo((String) t.get("access_token"));
        assertEquals(200, ui.statusCode(), ui.body());
        Map<String, Object> u = RelyingParty.json(ui.body());
        assertEquals(id.getSubject(), u.get("sub"));
        assertEquals("Alice Marie Specimen", u.get("name"));
        assertEquals("Alice Marie", u.get("given_name"));
        assertEquals("Specimen", u.get("family_name"));
        assertEquals("1985-03-14", u.get("birthdate"));
        assertEquals(Map.of("street_address", "Teststraat 12", "postal_code", "3000", "locality", "Leuven", "country", "BE"), u.get("address"));
        assertEquals("592100001223", u.get("card_number"));
        assertFalse(u.containsKey("national_number"));
    }

    @Test
    @Order(3)
    void withPostgresDownTheTokenEndpointAnswers503AndRecoversWithoutARestart() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        CodeAndAuth before = Flows.code(s, rp, "openid");
        postgres.stopServer();
        try {
            HttpResponse<String> token = rp.token(before.code(), before.auth().verifier());
            assertEquals(503, token.statusCode(), token.body());
            assertEquals("5", token.headers().firstValue("Retry-After").orElse(null));
            assertEquals("temporarily_unavailable", RelyingParty.json(token.body()).get("error"));
        } finally {
            postgres.startServer();
        }
        // the code issued before the outage redeems once, now; and a new flow runs end to end
        HttpResponse<String> again = rp.token(before.code(), before.auth().verifier());
        assertEquals(200, again.statusCode(), again.body());
        Map<String, Object> t = Flows.tokens(s, rp, "openid profile");
        HttpResponse<String> ui = rp.userinfo((String) t.get("access_token"));
        assertEquals(200, ui.statusCode(), ui.body());
        assertEquals("Alice Marie Specimen", RelyingParty.json(ui.body()).get("name"));
        // the outage is an expected condition: answered, not logged as a server error
        assertFalse(s.log().contains(" ERROR ["), "WildFly logged an ERROR; see target/it/wildfly-pg/wildfly/log/console.log");
    }

    @Test
    @Order(4)
    void twoHundredAnonymousAuthorizeAndReadoutRequestsAddNoRow() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        List<String> tables = strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name LIKE 'idsvc%' AND table_name <> 'idsvc_schema_history' ORDER BY table_name");
        Map<String, Long> before = new java.util.TreeMap<>();
        for (String t : tables) before.put(t, count(t));
        for (int i = 0; i < 200; i++) {
            var b = Flows.browser(s);
            HttpResponse<String> authorize = b.get(rp.authorization("openid").url());
            assertEquals(303, authorize.statusCode(), authorize.body());
            HttpResponse<String> identify = b.get(authorize.uri().resolve(authorize.headers().firstValue("Location").orElseThrow()));
            HttpResponse<String> readout = b.get(s.publicBase().resolve("/readout?flow="
                    + be.idsvc.testclient.Browser.hiddenFields(identify.body()).get("flow")));
            assertEquals(200, readout.statusCode(), readout.body());
        }
        // the purge may remove expired rows of the earlier tests meanwhile: no table may grow
        for (String t : tables) assertTrue(count(t) <= before.get(t), t + ": " + before.get(t) + " rows before, " + count(t) + " after");
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(strings("SELECT count(*) FROM " + table).get(0));
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, LocalPostgres.user(), "");
                Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    /** WildFly on PostgreSQL in target/it/wildfly-pg/, on this test's own ports. */
    static final class Server implements ServerUnderTest {
        private final Path project;
        private final Path war;
        private final Path jbossHome;
        private final Path home;
        private final Path demo;
        private final Path base;
        private final Path dbProperties;
        private final DemoHome.Result material;

        Server(String jdbcUrl) throws IOException {
            project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
            war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
            jbossHome = WildFlyServer.jbossHome(project);
            Path itDir = project.resolve("target/it/wildfly-pg");
            home = itDir.resolve("home");
            demo = itDir.resolve("demo");
            base = itDir.resolve("wildfly");
            Files.createDirectories(itDir);
            // the connection settings reach the server as a properties file (mode 600), not as arguments.
            // WildFly refuses an empty data-source password (WFLYCTL0113, minimum length 1); LocalPostgres
            // trusts local connections and never asks for it, so any non-empty one works here.
            dbProperties = itDir.resolve("db.properties");
            Files.deleteIfExists(dbProperties);
            Files.createFile(dbProperties, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(dbProperties, "idsvc.db.url=" + jdbcUrl.replace(":", "\\:") + "\nidsvc.db.user=" + LocalPostgres.user()
                    + "\nidsvc.db.password=unused-by-trust-auth\n", StandardCharsets.UTF_8);
            script("stop");
            material = TestHome.create(home, demo, PUBLIC_PORT, MTLS_PORT);
        }

        void script(String command) {
            Map<String, String> env = new java.util.HashMap<>(WildFlyServer.environment(base, jbossHome, home, war,
                    PUBLIC_PORT, MTLS_PORT, MTLS_PROXY_PORT, PORT_OFFSET));
            env.put("IDSVC_WILDFLY_STORE", "postgresql");
            env.put("IDSVC_DB_PROPERTIES", dbProperties.toString());
            ServerScript.run(project, "wildfly", command, env, 300);
        }

        @Override public ServerKind kind() { return ServerKind.WILDFLY; }
        @Override public int publicPort() { return PUBLIC_PORT; }
        @Override public int mtlsPort() { return MTLS_PORT; }
        @Override public int mtlsProxyPort() { return MTLS_PROXY_PORT; }
        @Override public Path home() { return home; }
        @Override public Path demoDir() { return demo; }
        @Override public DemoHome.Result material() { return material; }
        @Override public String startedLogMarker() { return "WFLYSRV0025"; }
        @Override public void restart() { script("restart"); }
        @Override public boolean isRunning() { return true; }

        @Override
        public void kill() {
            ServerProcess.kill(base.resolve("wildfly.pid"));
            ServerProcess.awaitExit(base.resolve("launcher.pid"));
        }

        @Override
        public String log() {
            try {
                return Files.readString(base.resolve("log/console.log"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
