package be.idsvc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import be.idsvc.admin.DemoHome;
import be.idsvc.store.LocalPostgres;

/**
 * A Tomcat 10.1 of one test class, on a fresh home of its own in {@code target/it/<name>/} and on
 * ports of its own, with the shipped server.xml (embedded H2) or, given a JDBC URL of
 * {@link LocalPostgres}, its PostgreSQL variant ({@code server-config/tomcat/postgresql}) as a
 * cluster node has it, without HAProxy and the other nodes.
 */
final class OwnTomcat implements ServerUnderTest {
    private final int publicPort;
    private final int mtlsPort;
    private final int mtlsProxyPort;

    private final Path project;
    private final Path war;
    private final Path catalinaHome;
    private final Path home;
    private final Path demo;
    private final Path catalinaBase;
    private final String jdbcUrl;
    private final DemoHome.Result material;

    /** One cluster node: ports 21901 (public), 21902 (mtls), 21903 (proxy connector). */
    static OwnTomcat postgres(String jdbcUrl) {
        return new OwnTomcat("tomcat-pg", 21901, jdbcUrl);
    }

    /** On the embedded H2 store: ports {@code publicPort}, +1 (mtls), +2 (proxy connector). */
    static OwnTomcat h2(String name, int publicPort) {
        return new OwnTomcat(name, publicPort, null);
    }

    private OwnTomcat(String name, int publicPort, String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.publicPort = publicPort;
        this.mtlsPort = publicPort + 1;
        this.mtlsProxyPort = publicPort + 2;
        project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        catalinaHome = TomcatServer.tomcatHome(project, ServerKind.TOMCAT10);
        Path itDir = project.resolve("target/it").resolve(name);
        home = itDir.resolve("home");
        demo = itDir.resolve("demo");
        catalinaBase = itDir.resolve("tomcat");
        script("stop");
        material = TestHome.create(home, demo, publicPort, mtlsPort);
    }

    @Override public ServerKind kind() { return ServerKind.TOMCAT10; }
    @Override public int publicPort() { return publicPort; }
    @Override public int mtlsPort() { return mtlsPort; }
    @Override public int mtlsProxyPort() { return mtlsProxyPort; }
    @Override public Path home() { return home; }
    @Override public Path demoDir() { return demo; }
    @Override public DemoHome.Result material() { return material; }
    @Override public String startedLogMarker() { return "Server startup in"; }
    @Override public boolean isRunning() { return Files.exists(catalinaBase.resolve("tomcat.pid")); }

    void start() {
        script("start");
    }

    void stop() {
        script("stop");
    }

    @Override
    public void restart() {
        stop();
        start();
    }

    @Override
    public void kill() {
        ServerProcess.kill(catalinaBase.resolve("tomcat.pid"));
    }

    @Override
    public String log() {
        try {
            return Files.readString(catalinaBase.resolve("logs/catalina.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void script(String command) {
        ServerScript.run(project, "tomcat", command, ServerScript.env(
                "CATALINA_BASE", catalinaBase.toString(),
                "CATALINA_HOME", catalinaHome.toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(publicPort),
                "IDSVC_MTLS_PORT", Integer.toString(mtlsPort),
                "IDSVC_MTLS_PROXY_PORT", Integer.toString(mtlsProxyPort),
                "IDSVC_CONF_OVERLAY", jdbcUrl == null ? null : project.resolve("server-config/tomcat/postgresql").toString(),
                "IDSVC_JAVA_OPTS", jdbcUrl == null ? null
                        : "-Didsvc.db.url=" + jdbcUrl + " -Didsvc.db.user=" + LocalPostgres.user() + " -Didsvc.db.password="), 180);
    }
}
