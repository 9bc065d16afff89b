package be.idsvc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ServiceClock;

/**
 * The real Tomcat (10.1 or 11.0, from Maven Central, unpacked by the build into
 * {@code target/servers}) with both deployments of the WAR and exactly the shipped
 * {@code server-config/tomcat}, started through {@code scripts/tomcat start} on a fresh demo service
 * home in {@code target/it/<server>/home}, on the ports of its {@link ServerKind} (so a running
 * {@code scripts/run} demo does not collide). Stopped at JVM exit. Use {@link ServerUnderTest#get()}.
 *
 * <p>System properties (set by failsafe): {@code idsvc.project.dir}, {@code idsvc.war},
 * {@code idsvc.servers.dir}.
 */
public final class TomcatServer implements ServerUnderTest {
    private static TomcatServer instance;

    private final ServerKind kind;
    private final Path project;
    private final Path war;
    private final Path catalinaHome;
    private final Path home;
    private final Path demo;
    private final Path catalinaBase;
    private final DemoHome.Result material;
    private boolean running;

    /**
     * For a Tomcat-only IT class (one without the every-server tag, which only the it-tomcat10
     * execution runs): the Tomcat 10.1. Classes that hold for every server use
     * {@link ServerUnderTest#get()}.
     */
    public static TomcatServer get() {
        return get(ServerKind.TOMCAT10);
    }

    /** The server of this kind, created and started on first use (one per test JVM). */
    static synchronized TomcatServer get(ServerKind kind) {
        if (instance == null) {
            TomcatServer s = new TomcatServer(kind);
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopQuietly, "tomcat-it-stop"));
            s.start();
            instance = s;
        }
        if (instance.kind != kind) throw new IllegalStateException("this JVM runs " + instance.kind + ", not " + kind);
        return instance;
    }

    private TomcatServer(ServerKind kind) {
        this.kind = kind;
        project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        catalinaHome = tomcatHome(project, kind);
        Path itDir = kind.workDir(project);
        home = itDir.resolve("home");
        demo = itDir.resolve("demo");
        catalinaBase = itDir.resolve("tomcat");
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no WAR at " + war + " (run mvn package first)");

        script("stop"); // a Tomcat left over by an aborted run would hold the ports and the old home
        try {
            Files.deleteIfExists(clockOffsetFile()); // nor may its clock offset outlive it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        material = TestHome.create(home, demo, kind.publicPort, kind.mtlsPort, TestHome.UNIX_SOCKET_PEER);
    }

    /** The newest unpacked {@code apache-tomcat-<major.minor>.*} of the build. */
    static Path tomcatHome(Path project, ServerKind kind) {
        Path serversDir = Path.of(System.getProperty("idsvc.servers.dir", project.resolve("target/servers").toString()));
        String prefix = "apache-tomcat-" + kind.tomcatVersion() + ".";
        try (Stream<Path> s = Files.list(serversDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p.resolve("bin/bootstrap.jar")))
                    .max(Comparator.comparing(p -> Runtime.Version.parse(p.getFileName().toString().substring("apache-tomcat-".length()))))
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "* in " + serversDir + " (mvn package unpacks it)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + serversDir, e);
        }
    }

    @Override public ServerKind kind() { return kind; }
    @Override public int publicPort() { return kind.publicPort; }
    @Override public int mtlsPort() { return kind.mtlsPort; }
    @Override public int mtlsProxyPort() { return kind.mtlsProxyPort; }
    /** scripts/tomcat's default. */
    @Override public Path mtlsProxySocket() { return catalinaBase.resolve("run/mtls-proxy.sock"); }
    @Override public Path home() { return home; }
    @Override public Path demoDir() { return demo; }
    @Override public DemoHome.Result material() { return material; }
    @Override public String startedLogMarker() { return "Server startup in"; }

    @Override
    public Path clockOffsetFile() {
        return catalinaBase.resolve("clock-offset");
    }

    public Path catalinaBase() {
        return catalinaBase;
    }

    /** catalina.out: everything the server and both deployments log. */
    @Override
    public String log() {
        try {
            return Files.readString(catalinaBase.resolve("logs/catalina.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------

    @Override
    public synchronized void restart() {
        stop();
        start();
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

    @Override
    public synchronized void kill() {
        ServerProcess.kill(catalinaBase.resolve("tomcat.pid"));
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
            System.err.println("stopping Tomcat: " + e.getMessage());
        }
    }

    private void script(String command) {
        ServerScript.run(project, "tomcat", command, ServerScript.env(
                "CATALINA_BASE", catalinaBase.toString(),
                "CATALINA_HOME", catalinaHome.toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(kind.publicPort),
                "IDSVC_MTLS_PORT", Integer.toString(kind.mtlsPort),
                "IDSVC_JAVA_OPTS", "-D" + ServiceClock.OFFSET_FILE_PROPERTY + "=" + clockOffsetFile()), 180);
    }
}
