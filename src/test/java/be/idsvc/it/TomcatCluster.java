package be.idsvc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import be.idsvc.admin.DemoHome;
import be.idsvc.store.LocalPostgres;
import be.idsvc.testclient.TlsContexts;

/**
 * A real cluster, as {@code scripts/run --cluster 3} builds it: a PostgreSQL server
 * ({@link LocalPostgres}), three Tomcat nodes (separate JVMs started by {@code scripts/tomcat},
 * each with its own CATALINA_BASE and ports, all on the PostgreSQL variant of server.xml and one
 * shared service home) and a real HAProxy with {@code server-config/haproxy/haproxy.cfg} in front.
 * The issuer and the public URL are HAProxy's ports. Ports (21000-21999): HAProxy 21443 (public)
 * and 21444 (mtls); node n public 21n01, mtls 21n02 (its proxy hop is a Unix socket in its CATALINA_BASE).
 */
public final class TomcatCluster {
    public static final int NODES = 3;
    public static final int LB_PUBLIC_PORT = 21443;
    public static final int LB_MTLS_PORT = 21444;

    private static TomcatCluster instance;

    private final Path project;
    private final Path war;
    private final Path serversDir;
    private final Path dir;
    private final Path home;
    private final Path demo;
    private final LocalPostgres postgres;
    private final String jdbcUrl;
    private Process haproxy;

    /** The cluster, created and started on first use; stopped at JVM exit. */
    public static synchronized TomcatCluster get() {
        if (instance == null) {
            TomcatCluster c = new TomcatCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stopQuietly, "cluster-it-stop"));
            c.start();
            instance = c;
        }
        return instance;
    }

    /**
     * Stops the nodes, HAProxy and PostgreSQL now: another class of the same test JVM
     * (WildFlyPostgresIT) starts its own PostgreSQL in the same data directory and port.
     */
    public static synchronized void stopIfStarted() {
        if (instance != null) {
            instance.stopQuietly();
            instance = null;
        }
    }

    private TomcatCluster() {
        project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        serversDir = Path.of(System.getProperty("idsvc.servers.dir", project.resolve("target/servers").toString()));
        dir = project.resolve("target/it-cluster");
        home = dir.resolve("home");
        demo = dir.resolve("demo");
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no WAR at " + war + " (run mvn package first)");
        for (int n = 1; n <= NODES; n++) script(n, "stop"); // left over from an aborted run
        ServerScript.deleteRecursively(home);
        ServerScript.deleteRecursively(demo);
        DemoHome.create(new DemoHome.Options(home, demo, LB_PUBLIC_PORT, LB_MTLS_PORT, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        settings("access_token_ttl_seconds=30", "code_ttl_seconds=30", "store.purge_interval_seconds=5");
        postgres = LocalPostgres.start();
        jdbcUrl = postgres.createDatabase();
    }

    /**
     * Access tokens and codes live 30 s and every deployment purges every 5 s, so that a load run of
     * a minute shows the store's size settle (a redeemed code stays until it expires).
     */
    private void settings(String... lines) {
        Path file = home.resolve("idsvc.properties");
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String line : lines) text = text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(line.substring(0, line.indexOf('=') + 1)) + ".*$", "");
            Files.writeString(file, text + "\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() {
        // The nodes start together, as after a data-centre power cut: Flyway's advisory lock lets
        // exactly one of them create the schema.
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int n = 1; n <= NODES; n++) {
                int node = n;
                started.add(pool.submit(() -> script(node, "start")));
            }
            for (Future<?> f : started) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("cluster start failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        startHaproxy();
    }

    // ---- addresses ----------------------------------------------------------------------------------

    public static int publicPort(int node) {
        return 21001 + node * 100;
    }

    public static int mtlsPort(int node) {
        return 21002 + node * 100;
    }

    /** Node n's public connector, bypassing HAProxy. */
    public URI publicBase(int node) {
        return URI.create("https://localhost:" + publicPort(node) + "/");
    }

    /** Node n's mtls connector, bypassing HAProxy. */
    public URI mtlsBase(int node) {
        return URI.create("https://localhost:" + mtlsPort(node) + "/");
    }

    /** HAProxy's public port: the public URL of the service. */
    public URI publicBase() {
        return URI.create("https://localhost:" + LB_PUBLIC_PORT + "/");
    }

    /** HAProxy's mtls port: the issuer. */
    public URI mtlsBase() {
        return URI.create("https://localhost:" + LB_MTLS_PORT + "/");
    }

    public String issuer() {
        return "https://localhost:" + LB_MTLS_PORT;
    }

    public Path home() {
        return home;
    }

    public Path demoDir() {
        return demo;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Path catalinaBase(int node) {
        return dir.resolve("node" + node);
    }

    /** Node n's catalina.out text. */
    public String log(int node) {
        try {
            return Files.readString(catalinaBase(node).resolve("logs/catalina.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trusts the demo CA; presents demo-client's or other-client's certificate. */
    public SSLContext sslContext(String clientName) {
        return TlsContexts.of(demo.resolve("ca.pem"), demo.resolve(clientName + ".pem"), demo.resolve(clientName + "-key.pem"));
    }

    public SSLContext sslContextWithoutClientCert() {
        return TlsContexts.of(demo.resolve("ca.pem"), null, null);
    }

    // ---- nodes --------------------------------------------------------------------------------------

    public void startNode(int node) {
        script(node, "start");
    }

    /** SIGKILL: no shutdown hook, no connection closed cleanly, like a power cut of that machine. */
    public void killNode(int node) {
        Path pidFile = catalinaBase(node).resolve("tomcat.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node " + node + " is not running"));
            p.destroyForcibly();
            p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot kill node " + node + ": " + e.getMessage(), e);
        }
    }

    public boolean nodeAnswers(int node) {
        return healthy(publicBase(node));
    }

    /** Waits until HAProxy's public port answers /health (its checks found a node up). */
    public void awaitBalancer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy(publicBase())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("HAProxy does not answer on " + publicBase());
            sleep(200);
        }
    }

    private boolean healthy(URI base) {
        HttpClient http = HttpClient.newBuilder().sslContext(sslContextWithoutClientCert()).connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void script(int node, String command) {
        Path tomcat = tomcatHome();
        ServerScript.run(project, "tomcat", command, ServerScript.env(
                "CATALINA_BASE", catalinaBase(node).toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(publicPort(node)),
                "IDSVC_MTLS_PORT", Integer.toString(mtlsPort(node)),
                "IDSVC_CONF_OVERLAY", project.resolve("server-config/tomcat/postgresql").toString(),
                "IDSVC_JAVA_OPTS", "-Xmx256m -Didsvc.db.url=" + jdbcUrl + " -Didsvc.db.user=" + LocalPostgres.user()
                        + " -Didsvc.db.password=",
                "IDSVC_START_TIMEOUT", "150",
                "CATALINA_HOME", tomcat == null ? null : tomcat.toString()), 240);
    }

    private Path tomcatHome() {
        if (!Files.isDirectory(serversDir)) return null;
        try (Stream<Path> s = Files.list(serversDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("apache-tomcat-"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    // ---- HAProxy ------------------------------------------------------------------------------------

    private void startHaproxy() {
        Path bin = Stream.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("HAProxy is not installed (/usr/sbin/haproxy): the cluster tests need"
                        + " a real load balancer. Install it with: apt-get install -y haproxy (or run .ci/run, which does)"));
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "-db", "-f", project.resolve("server-config/haproxy/haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
        pb.environment().putAll(haproxyEnvironment());
        try {
            haproxy = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start HAProxy", e);
        }
        awaitBalancer(Duration.ofSeconds(30));
    }

    Map<String, String> haproxyEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("IDSVC_LB_ADDRESS", "127.0.0.1");
        env.put("IDSVC_PUBLIC_PORT", Integer.toString(LB_PUBLIC_PORT));
        env.put("IDSVC_MTLS_PORT", Integer.toString(LB_MTLS_PORT));
        env.put("IDSVC_LB_CA_FILE", demo.resolve("ca.pem").toString());
        for (int n = 1; n <= NODES; n++) {
            env.put("IDSVC_NODE" + n + "_HOST", "127.0.0.1");
            env.put("IDSVC_NODE" + n + "_PUBLIC", Integer.toString(publicPort(n)));
            env.put("IDSVC_NODE" + n + "_MTLS", Integer.toString(mtlsPort(n)));
        }
        return env;
    }

    /** Whether anything accepts connections on the port. */
    static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    private void stopQuietly() {
        if (haproxy != null) haproxy.destroy();
        for (int n = 1; n <= NODES; n++) {
            try {
                script(n, "stop");
            } catch (RuntimeException e) {
                System.err.println("stopping cluster node " + n + ": " + e.getMessage());
            }
        }
        postgres.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
