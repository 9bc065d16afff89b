package be.idsvc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import be.idsvc.admin.DemoHome;
import be.idsvc.testclient.TlsContexts;

/**
 * The real WildFly 39 with both deployments of the WAR, started once per test JVM through
 * {@code scripts/wildfly start} on a fresh demo service home in {@code target/it-wildfly/home}
 * (public port 48443, mtls port 49443, WildFly's own ports offset by 30000: 39990, 38080, 34712,
 * so that neither the Tomcat suite on 18443/19443, RoleConfigurationIT on 28443/29443 nor a
 * {@code scripts/run} demo collides). Stopped by {@link #stop()} and at JVM exit.
 *
 * <p>System properties (set by failsafe): {@code idsvc.project.dir}, {@code idsvc.war},
 * {@code idsvc.servers.dir}.
 */
public final class WildFlyServer {
    public static final int PUBLIC_PORT = 48443;
    public static final int MTLS_PORT = 49443;
    public static final int PORT_OFFSET = 30000;

    private static WildFlyServer instance;

    private final Path project;
    private final Path war;
    private final Path jbossHome;
    private final Path home;
    private final Path demo;
    private final Path base;

    /** The server, created and started on first use. */
    public static synchronized WildFlyServer get() {
        if (instance == null) {
            WildFlyServer s = new WildFlyServer();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopQuietly, "wildfly-it-stop"));
            s.script("start");
            instance = s;
        }
        return instance;
    }

    private WildFlyServer() {
        project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        Path serversDir = Path.of(System.getProperty("idsvc.servers.dir", project.resolve("target/servers").toString()));
        jbossHome = serversDir.resolve("wildfly-39.0.1.Final");
        Path itDir = project.resolve("target/it-wildfly");
        home = itDir.resolve("home");
        demo = itDir.resolve("demo");
        base = itDir.resolve("wildfly");
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no WAR at " + war + " (run mvn package first)");
        if (!Files.isDirectory(jbossHome)) throw new IllegalStateException("no WildFly at " + jbossHome + " (mvn package unpacks it)");

        script("stop"); // a WildFly left over by an aborted run would hold the ports and the old home
        ServerScript.deleteRecursively(home);
        ServerScript.deleteRecursively(demo);
        DemoHome.create(new DemoHome.Options(home, demo, PUBLIC_PORT, MTLS_PORT, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    public URI publicBase() {
        return URI.create("https://localhost:" + PUBLIC_PORT + "/");
    }

    public URI mtlsBase() {
        return URI.create("https://localhost:" + MTLS_PORT + "/");
    }

    public String issuer() {
        return "https://localhost:" + MTLS_PORT;
    }

    /** The service home both deployments read. */
    public Path home() {
        return home;
    }

    public Path demoDir() {
        return demo;
    }

    /** WildFly's console log of this start: everything the server and both deployments log. */
    public String log() {
        try {
            return Files.readString(base.resolve("log/console.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trusts the demo CA and presents {@code clientName}'s certificate (demo-client, other-client, unregistered). */
    public SSLContext sslContext(String clientName) {
        return TlsContexts.of(demo.resolve("ca.pem"), demo.resolve(clientName + ".pem"), demo.resolve(clientName + "-key.pem"));
    }

    /** Trusts the demo CA and has no client certificate. */
    public SSLContext sslContextWithoutClientCert() {
        return TlsContexts.of(demo.resolve("ca.pem"), null, null);
    }

    /** Stops the server (the next {@link #get()} starts a new one on a fresh home). */
    public static synchronized void stop() {
        if (instance != null) {
            instance.script("stop");
            instance = null;
        }
    }

    private void stopQuietly() {
        try {
            script("stop");
        } catch (RuntimeException e) {
            System.err.println("stopping WildFly: " + e.getMessage());
        }
    }

    private void script(String command) {
        ServerScript.run(project, "wildfly", command, ServerScript.env(
                "WILDFLY_BASE", base.toString(),
                "JBOSS_HOME", jbossHome.toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(PUBLIC_PORT),
                "IDSVC_MTLS_PORT", Integer.toString(MTLS_PORT),
                "IDSVC_PORT_OFFSET", Integer.toString(PORT_OFFSET),
                "IDSVC_START_TIMEOUT", "270"), 300); // a loaded CI machine: the script gets 300 s
    }

}
