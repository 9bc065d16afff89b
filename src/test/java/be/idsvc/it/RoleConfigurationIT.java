package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import be.idsvc.admin.DemoHome;

/**
 * A deployment whose server configuration gives no role, or an unknown one, does not start, and the
 * log says why; the start script reports the failure and leaves no server running. Runs its own
 * Tomcat (ports 28443/29443) with descriptors overlaid on the shipped ones.
 */
class RoleConfigurationIT {
    @Test
    void missingAndUnknownRolesStopTheDeploymentsWithAReason() throws Exception {
        Path project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        Path dir = project.resolve("target/it/role-config");
        deleteRecursively(dir);
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo"), 28443, 29443, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Path overlay = dir.resolve("overlay");
        Files.createDirectories(overlay.resolve("public/localhost"));
        Files.createDirectories(overlay.resolve("mtls/localhost"));
        // The public descriptor forgets the role; the mtls one names a role that does not exist.
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
        Path base = dir.resolve("tomcat");
        ProcessBuilder pb = new ProcessBuilder(project.resolve("scripts/tomcat").toString(), "start")
                .directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("IDSVC_HOME", home.toString());
        pb.environment().put("IDSVC_WAR", System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        pb.environment().put("IDSVC_PUBLIC_PORT", "28443");
        pb.environment().put("IDSVC_MTLS_PORT", "29443");
        pb.environment().put("IDSVC_MTLS_PROXY_PORT", "29480");
        pb.environment().put("IDSVC_CONF_OVERLAY", overlay.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        try {
            assertNotEquals(0, p.exitValue(), "scripts/tomcat start reported success:\n" + output);
            String log = Files.readString(base.resolve("logs/catalina.out"), StandardCharsets.UTF_8);
            assertTrue(log.contains("Identification Service deployment NOT started: no deployment role:"
                    + " set the JNDI environment entry idsvc/role to 'public' or 'mtls'"), log);
            assertTrue(log.contains("Identification Service deployment NOT started: unknown deployment role 'admin':"
                    + " the JNDI environment entry idsvc/role must be 'public' or 'mtls'"), log);
            assertFalse(log.contains("Identification Service started"), "a deployment started without a valid role");
            assertFalse(Files.exists(base.resolve("tomcat.pid")), "the failed start left Tomcat running");
        } finally {
            ProcessBuilder stop = new ProcessBuilder(project.resolve("scripts/tomcat").toString(), "stop").redirectErrorStream(true);
            stop.environment().put("CATALINA_BASE", base.toString());
            stop.start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
