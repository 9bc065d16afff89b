package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ServiceClock;

/**
 * A deployment whose server configuration gives no role, or an unknown one, does not start, and the
 * log says why; the start script reports the failure and leaves no server running. Runs its own
 * server of the selected kind, on ports of its own ({@link ServerKind#roleTestPublicPort}), with the
 * shipped configuration changed the way an admin would change it: on Tomcat the context
 * descriptors overlaid on conf/, on WildFly the deployment overlays' jboss-web.xml.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class RoleConfigurationIT {
    static final String NO_ROLE = "Identification Service deployment NOT started: no deployment role:"
            + " set the JNDI environment entry idsvc/role to 'public' or 'mtls'";
    static final String UNKNOWN_ROLE = "Identification Service deployment NOT started: unknown deployment role 'admin':"
            + " the JNDI environment entry idsvc/role must be 'public' or 'mtls'";
    static final String CLOCK_REFUSED = "Identification Service deployment NOT started: -D" + ServiceClock.OFFSET_FILE_PROPERTY
            + " is set, but a moved clock is for test homes only and ";

    final ServerKind kind = ServerKind.selected();
    final Path project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
    final Path war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
    final Path dir = kind.workDir(project).resolve("role-config");

    @Test
    void missingAndUnknownRolesStopTheDeploymentsWithAReason() throws Exception {
        ServerScript.deleteRecursively(dir);
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo"), kind.roleTestPublicPort, kind.roleTestMtlsPort(), false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Path overlay = dir.resolve("overlay");
        if (kind.isTomcat()) {
            tomcatDescriptorsWithoutAndWithABadRole(overlay);
            Path base = dir.resolve("tomcat");
            Map<String, String> env = tomcatEnvironment(base, home);
            env.put("IDSVC_CONF_OVERLAY", overlay.toString());
            assertStartFails("tomcat", env, base.resolve("logs/catalina.out"), base.resolve("tomcat.pid"), List.of(NO_ROLE, UNKNOWN_ROLE));
        } else {
            wildFlyOverlaysWithoutAndWithABadRole(overlay);
            Path base = dir.resolve("wildfly");
            // WildFly's own ports 48030 (http) and 49940 (management): clear of the suite's WildFly
            Map<String, String> env = WildFlyServer.environment(base, WildFlyServer.jbossHome(project), home, war,
                    kind.roleTestPublicPort, kind.roleTestMtlsPort(), kind.roleTestMtlsProxyPort(), WildFlyServer.PORT_OFFSET - 50);
            env.put("IDSVC_CONF_OVERLAY", overlay.toString());
            assertStartFails("wildfly", env, base.resolve("log/console.log"), base.resolve("wildfly.pid"), List.of(NO_ROLE, UNKNOWN_ROLE));
        }
    }

    /**
     * The integration tests' movable clock (config/ServiceClock) on a home that is not a sandbox:
     * both deployments refuse to start and say why (docs/decisions.md, "issue 14: injected time").
     */
    @Test
    void theTestClockStopsTheDeploymentsOfAProductionHome() throws Exception {
        ServerScript.deleteRecursively(dir);
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo"), kind.roleTestPublicPort, kind.roleTestMtlsPort(), false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Path settings = home.resolve("idsvc.properties");
        String sandbox = Files.readString(settings, StandardCharsets.UTF_8);
        String production = sandbox.replace("eid.sandbox_virtual_cards=true", "eid.sandbox_virtual_cards=false");
        assertNotEquals(sandbox, production, "the demo home is no sandbox to turn off");
        Files.writeString(settings, production, StandardCharsets.UTF_8);
        String clock = "-D" + ServiceClock.OFFSET_FILE_PROPERTY + "=" + dir.resolve("clock-offset");
        List<String> expected = List.of(CLOCK_REFUSED + settings + " does not set eid.sandbox_virtual_cards=true");
        if (kind.isTomcat()) {
            Path base = dir.resolve("tomcat");
            Map<String, String> env = tomcatEnvironment(base, home);
            env.put("IDSVC_JAVA_OPTS", clock);
            assertStartFails("tomcat", env, base.resolve("logs/catalina.out"), base.resolve("tomcat.pid"), expected);
        } else {
            Path base = dir.resolve("wildfly");
            Map<String, String> env = WildFlyServer.environment(base, WildFlyServer.jbossHome(project), home, war,
                    kind.roleTestPublicPort, kind.roleTestMtlsPort(), kind.roleTestMtlsProxyPort(), WildFlyServer.PORT_OFFSET - 50);
            env.put("IDSVC_JAVA_OPTS", env.get("IDSVC_JAVA_OPTS") + " " + clock);
            assertStartFails("wildfly", env, base.resolve("log/console.log"), base.resolve("wildfly.pid"), expected);
        }
    }

    /** The environment of scripts/tomcat for this class's own Tomcat. */
    private Map<String, String> tomcatEnvironment(Path base, Path home) {
        return ServerScript.env(
                "CATALINA_BASE", base.toString(),
                "CATALINA_HOME", TomcatServer.tomcatHome(project, kind).toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(kind.roleTestPublicPort),
                "IDSVC_MTLS_PORT", Integer.toString(kind.roleTestMtlsPort()));
    }

    private void assertStartFails(String script, Map<String, String> env, Path log, Path pidFile, List<String> expected) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(project.resolve("scripts/" + script).toString(), "start")
                .directory(project.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        try {
            assertNotEquals(0, p.exitValue(), "scripts/" + script + " start reported success:\n" + output);
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String line : expected) assertTrue(text.contains(line), text);
            assertFalse(text.contains("Identification Service started"), "a deployment started although it should not have");
            assertFalse(Files.exists(pidFile), "the failed start left " + kind.displayName + " running");
        } finally {
            ProcessBuilder stop = new ProcessBuilder(project.resolve("scripts/" + script).toString(), "stop").redirectErrorStream(true);
            stop.environment().putAll(env);
            stop.start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The public descriptor forgets the role; the mtls one names a role that does not exist. */
    private static void tomcatDescriptorsWithoutAndWithABadRole(Path overlay) throws Exception {
        Files.createDirectories(overlay.resolve("public/localhost"));
        Files.createDirectories(overlay.resolve("mtls/localhost"));
        Files.writeString(overlay.resolve("public/localhost/ROOT.xml"), """
                <Context docBase="${idsvc.war}">
                  <Environment name="idsvc/home" value="${idsvc.home}" type="java.lang.String" override="false"/>
                  <ResourceLink name="jdbc/idsvc" global="jdbc/idsvc" type="javax.sql.DataSource"/>
                </Context>
                """);
        Files.writeString(overlay.resolve("mtls/localhost/ROOT.xml"), """
                <Context docBase="${idsvc.war}">
                  <Environment name="idsvc/role" value="admin" type="java.lang.String" override="false"/>
                  <Environment name="idsvc/home" value="${idsvc.home}" type="java.lang.String" override="false"/>
                  <ResourceLink name="jdbc/idsvc" global="jdbc/idsvc" type="javax.sql.DataSource"/>
                </Context>
                """);
    }

    /**
     * The same mistakes in the WildFly deployment overlays' jboss-web.xml (the files configure.cli
     * adds to idsvc-public.war and idsvc-mtls.war), taken from the shipped ones.
     */
    private void wildFlyOverlaysWithoutAndWithABadRole(Path overlay) throws Exception {
        Path shipped = project.resolve("server-config/wildfly");
        String roleEntry = "(?s)\\s*<env-entry>\\s*<env-entry-name>idsvc/role</env-entry-name>.*?</env-entry>";
        String publicXml = Files.readString(shipped.resolve("public/jboss-web.xml"), StandardCharsets.UTF_8);
        String withoutRole = publicXml.replaceFirst(roleEntry, "");
        assertNotEquals(publicXml, withoutRole, "the shipped public/jboss-web.xml sets no role to remove");
        String mtlsXml = Files.readString(shipped.resolve("mtls/jboss-web.xml"), StandardCharsets.UTF_8);
        String badRole = mtlsXml.replace("<env-entry-value>mtls</env-entry-value>", "<env-entry-value>admin</env-entry-value>");
        assertNotEquals(mtlsXml, badRole, "the shipped mtls/jboss-web.xml sets no role to change");
        Files.createDirectories(overlay.resolve("public"));
        Files.createDirectories(overlay.resolve("mtls"));
        Files.writeString(overlay.resolve("public/jboss-web.xml"), withoutRole, StandardCharsets.UTF_8);
        Files.writeString(overlay.resolve("mtls/jboss-web.xml"), badRole, StandardCharsets.UTF_8);
    }
}
