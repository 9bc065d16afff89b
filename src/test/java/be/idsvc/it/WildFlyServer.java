package be.idsvc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ServiceClock;

/**
 * The real WildFly 39 (from Maven Central, unpacked by the build) with both deployments of the WAR,
 * configured by the shipped {@code server-config/wildfly/configure.cli} through
 * {@code scripts/wildfly start} on a fresh demo service home in {@code target/it/wildfly/home}, on
 * the ports of {@link ServerKind#WILDFLY}; WildFly's own ports are offset by {@value #PORT_OFFSET}
 * (management 49990, http 48080) so that neither a {@code scripts/run} demo nor the other servers'
 * suites collide. Stopped at JVM exit. Use {@link ServerUnderTest#get()}.
 *
 * <p>System properties (set by failsafe): {@code idsvc.project.dir}, {@code idsvc.war},
 * {@code idsvc.servers.dir}.
 */
public final class WildFlyServer implements ServerUnderTest {
    static final String VERSION = "39.0.1.Final";
    static final int PORT_OFFSET = 40000;

    private static WildFlyServer instance;

    private final Path project;
    private final Path war;
    private final Path jbossHome;
    private final Path home;
    private final Path demo;
    private final Path base;
    private final DemoHome.Result material;
    private boolean running;

    static synchronized WildFlyServer get() {
        if (instance == null) {
            WildFlyServer s = new WildFlyServer();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopQuietly, "wildfly-it-stop"));
            s.start();
            instance = s;
        }
        return instance;
    }

    private WildFlyServer() {
        project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        jbossHome = jbossHome(project);
        Path itDir = ServerKind.WILDFLY.workDir(project);
        home = itDir.resolve("home");
        demo = itDir.resolve("demo");
        base = itDir.resolve("wildfly");
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no WAR at " + war + " (run mvn package first)");

        script("stop"); // a WildFly left over by an aborted run would hold the ports and the old home
        try {
            Files.deleteIfExists(clockOffsetFile()); // nor may its clock offset outlive it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        material = TestHome.create(home, demo, ServerKind.WILDFLY.publicPort, ServerKind.WILDFLY.mtlsPort);
    }

    static Path jbossHome(Path project) {
        Path serversDir = Path.of(System.getProperty("idsvc.servers.dir", project.resolve("target/servers").toString()));
        Path jboss = serversDir.resolve("wildfly-" + VERSION);
        if (!Files.isDirectory(jboss)) throw new IllegalStateException("no WildFly at " + jboss + " (mvn package unpacks it)");
        return jboss;
    }

    @Override public ServerKind kind() { return ServerKind.WILDFLY; }
    @Override public Path clockOffsetFile() { return base.resolve("clock-offset"); }
    @Override public int publicPort() { return ServerKind.WILDFLY.publicPort; }
    @Override public int mtlsPort() { return ServerKind.WILDFLY.mtlsPort; }
    @Override public int mtlsProxyPort() { return ServerKind.WILDFLY.mtlsProxyPort; }
    @Override public Path home() { return home; }
    @Override public Path demoDir() { return demo; }
    @Override public DemoHome.Result material() { return material; }
    /** WFLYSRV0025: "WildFly ... started in N ms" (not WFLYSRV0026, started with errors). */
    @Override public String startedLogMarker() { return "WFLYSRV0025"; }

    /** WildFly's console log of this start: everything the server and both deployments log. */
    @Override
    public String log() {
        try {
            return Files.readString(base.resolve("log/console.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the JVM and starts a new one on the same configuration and home ({@code scripts/wildfly
     * restart}: no new configure.cli run, so that a restart on a busy machine stays well inside a
     * code's 60 s).
     */
    @Override
    public synchronized void restart() {
        running = false;
        script("restart");
        running = true;
    }

    public synchronized void start() {
        if (running) return;
        script("start");
        running = true;
    }

    public synchronized void stop() {
        script("stop");
        running = false;
    }

    /** Kills the server JVM (standalone.sh, its launcher, then ends by itself). */
    @Override
    public synchronized void kill() {
        ServerProcess.kill(base.resolve("wildfly.pid"));
        ServerProcess.awaitExit(base.resolve("launcher.pid"));
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("stopping WildFly: " + e.getMessage());
        }
    }

    private void script(String command) {
        Map<String, String> env = environment(base, jbossHome, home, war,
                ServerKind.WILDFLY.publicPort, ServerKind.WILDFLY.mtlsPort, ServerKind.WILDFLY.mtlsProxyPort, PORT_OFFSET);
        env.put("IDSVC_JAVA_OPTS", env.get("IDSVC_JAVA_OPTS") + " -D" + ServiceClock.OFFSET_FILE_PROPERTY + "=" + clockOffsetFile());
        ServerScript.run(project, "wildfly", command, env, 300);
    }

    /**
     * The environment of scripts/wildfly for one instance. A loaded machine gets 270 s to start, and
     * the server JVM compiles with C1 only and collects with one thread: on two busy cores that
     * shortens the boot most of all, which a restart test must fit into a code's 60 s.
     */
    static Map<String, String> environment(Path base, Path jbossHome, Path home, Path war, int publicPort, int mtlsPort,
            int mtlsProxyPort, int portOffset) {
        return ServerScript.env(
                "WILDFLY_BASE", base.toString(),
                "JBOSS_HOME", jbossHome.toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(publicPort),
                "IDSVC_MTLS_PORT", Integer.toString(mtlsPort),
                "IDSVC_MTLS_PROXY_PORT", Integer.toString(mtlsProxyPort),
                "IDSVC_PORT_OFFSET", Integer.toString(portOffset),
                "IDSVC_START_TIMEOUT", "270",
                "IDSVC_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    }
}
