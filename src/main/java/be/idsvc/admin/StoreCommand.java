package be.idsvc.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Deque;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

import be.idsvc.store.StoreSchema;
import be.idsvc.store.StoreUnavailableException;

/**
 * {@code idsvc store migrate --jdbc-url URL [--user U] [--password-file F]}: brings a store's schema
 * to the version this build needs, as the deployments do at start-up (same Flyway migrations, same
 * baselining of a database made before Flyway). Lets an administrator migrate before starting the
 * servers, or with an account that may change the schema while the servers' account may not.
 */
final class StoreCommand {
    private StoreCommand() {}

    static int run(Deque<String> a, PrintStream out) {
        String sub = a.poll();
        if (sub == null) throw new UsageException("store needs a subcommand (migrate)");
        if (!sub.equals("migrate")) throw new UsageException("unknown command: store " + sub);
        Args args = Args.parse("store migrate", a, Set.of("--jdbc-url", "--user", "--password-file"), Set.of()).operands();
        String url = args.option("--jdbc-url");
        if (url == null) throw new UsageException("store migrate needs --jdbc-url URL");
        String password = "";
        String file = args.option("--password-file");
        if (file != null) {
            try {
                password = Files.readString(Path.of(file), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new AdminException("cannot read the password file " + file + ": " + e.getMessage());
            }
        }
        DataSource ds = new DriverManagerDataSource(url, args.option("--user", ""), password);
        String before;
        String after;
        // one connection held for the whole command keeps an embedded H2 database open between
        // Flyway's own connections (else every one of them reopens and compacts the file)
        try (Connection held = ds.getConnection()) {
            before = StoreSchema.version(ds);
            StoreSchema.create(ds);
            after = StoreSchema.version(ds);
        } catch (SQLException e) {
            throw new AdminException("cannot connect to " + url + ": " + e.getMessage());
        } catch (StoreUnavailableException e) {
            throw new AdminException(e.getMessage());
        }
        out.println(before.equals(after)
                ? "store schema is up to date at version " + after
                : "store schema migrated from " + before + " to version " + after);
        return 0;
    }

    /** Connections straight from the JDBC driver on the class path; enough for one migration. */
    private static final class DriverManagerDataSource implements DataSource {
        private final String url;
        private final String user;
        private final String password;
        private int loginTimeout;

        DriverManagerDataSource(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return getConnection(user, password);
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return DriverManager.getConnection(url, u, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) return iface.cast(this);
            throw new SQLException("not a wrapper for " + iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
