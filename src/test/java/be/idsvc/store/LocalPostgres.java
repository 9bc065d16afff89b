package be.idsvc.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the store tests, from the Debian package's binaries: a fresh cluster
 * in {@code target/pg-data/cluster}, listening on 127.0.0.1 only, port 55432 (system property
 * {@code idsvc.test.pg.port}), no Unix socket, trust authentication for the {@code postgres} role.
 * Started once per test run by {@link Extension} and stopped when the run ends. The server is
 * initialised, started and stopped by {@code scripts/pg}, as the demo cluster's is (run as root, it
 * runs the server binaries as the {@code postgres} user: PostgreSQL refuses root).
 *
 * <p>Missing PostgreSQL is a failure, never a skip: the PostgreSQL half of the store suite is the
 * production store's proof.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final int PORT = Integer.getInteger("idsvc.test.pg.port", 55432);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** util-linux's runuser lives in /usr/sbin, which a CI account's PATH may lack. */
    private static final String RUNUSER = Stream.of("/usr/sbin/runuser", "/sbin/runuser")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("runuser");

    /** scripts/pg of the checkout (the tests run in it; failsafe also says where it is). */
    private static final Path SCRIPT = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize()
            .resolve("scripts/pg");
    private Path root = Path.of("target", "pg-data").toAbsolutePath();
    private Path data = root.resolve("cluster");
    private Path log = root.resolve("server.log");
    private final boolean asPostgresUser = "root".equals(System.getProperty("user.name"));
    private volatile boolean running;

    private LocalPostgres() {}

    /** JUnit extension: one server for the whole run, closed by JUnit when the run ends. */
    public static final class Extension implements BeforeAllCallback {
        private LocalPostgres server;

        @Override
        public void beforeAll(ExtensionContext context) {
            server = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(LocalPostgres.class, k -> LocalPostgres.start(), LocalPostgres.class);
        }

        public LocalPostgres server() {
            return server;
        }
    }

    public static LocalPostgres start() {
        LocalPostgres pg = new LocalPostgres();
        pg.requireBinaries();
        pg.initCluster();
        pg.startServer();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "stop-local-postgres"));
        return pg;
    }

    private void requireBinaries() {
        try {
            pg(true, "bin");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the store tests need a real PostgreSQL server (or run .ci/run, which installs it): "
                    + e.getMessage(), e);
        }
    }

    private void initCluster() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pg(false, "stop", data.toString(), "immediate"); // a server left over from an aborted run
            }
            deleteTree(root);
            Files.createDirectories(root);
            if (asPostgresUser) {
                run(true, "chown", "postgres:postgres", root.toString());
                if (!reachableByPostgres(root)) {
                    // e.g. a checkout under /root (mode 700): the postgres user cannot reach target/
                    Path elsewhere = Files.createTempDirectory("idsvc-test-pg-");
                    System.err.println("LocalPostgres: the postgres user cannot reach " + root + "; using " + elsewhere);
                    root = elsewhere;
                    data = root.resolve("cluster");
                    log = root.resolve("server.log");
                    run(true, "chown", "postgres:postgres", root.toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + root, e);
        }
        pg(true, "init", data.toString(), "--trust");
    }

    /** Starts the server on the existing cluster and waits until it accepts connections. */
    public void startServer() {
        pg(true, "start", data.toString(), Integer.toString(PORT), "-c", "fsync=off", "-c", "full_page_writes=off",
                "-c", "max_connections=100");
        running = true;
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: open connections are cut). */
    public void stopServer() {
        pg(true, "stop", data.toString(), "fast");
        running = false;
    }

    /** Kills the server without a checkpoint, like a crash ({@code pg_ctl stop -m immediate}). */
    public void crashServer() {
        pg(true, "stop", data.toString(), "immediate");
        running = false;
    }

    public boolean isRunning() {
        return running;
    }

    /** A new, empty database; its JDBC URL. */
    public String createDatabase() {
        String name = "store_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + PORT + "/" + database + "?connectTimeout=5&socketTimeout=30";
    }

    public static String user() {
        return "postgres";
    }

    @Override
    public synchronized void close() {
        if (running) {
            try {
                stopServer();
            } catch (RuntimeException e) {
                System.err.println("LocalPostgres: " + e.getMessage());
            }
        }
    }

    // ---- processes ---------------------------------------------------------------------------------

    private void pg(boolean check, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        run(check, cmd.toArray(String[]::new));
    }

    private boolean reachableByPostgres(Path dir) {
        try {
            return new ProcessBuilder(RUNUSER, "-u", "postgres", "--", "test", "-w", dir.toString())
                    .redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run(boolean check, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 60 s");
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n"
                        + new String(out, StandardCharsets.UTF_8) + logTail());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private String logTail() {
        try {
            if (!Files.exists(log)) return "";
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n" + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
