package be.idsvc.it;

import java.net.Socket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

import be.idsvc.admin.DemoHome;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.Pem;
import be.idsvc.testclient.TlsContexts;

/**
 * The real server with both deployments of the WAR that the integration tests talk to: Tomcat 10.1,
 * Tomcat 11.0 or WildFly 39, chosen per test JVM by {@code -Didsvc.it.server} (see {@link ServerKind};
 * pom.xml runs the suite once per server). Started once per JVM on a fresh demo service home, stopped
 * at JVM exit. Test classes that hold for every server carry {@code @Tag("every-server")} and use only
 * this interface.
 */
public interface ServerUnderTest {
    String DEMO_CLIENT = "demo-client";
    String OTHER_CLIENT = "other-client";
    String UNREGISTERED = "unregistered";
    /** The loopback address the test reverse proxy connects from over TCP (WildFly's proxy hop). */
    String PROXY_ADDRESS = "127.0.0.2";
    /** The JUnit tag of the test classes that run on every server. */
    String EVERY_SERVER = "every-server";

    /** The selected server, created and started on first use. */
    static ServerUnderTest get() {
        ServerKind kind = ServerKind.selected();
        return kind.isTomcat() ? TomcatServer.get(kind) : WildFlyServer.get();
    }

    ServerKind kind();

    int publicPort();

    int mtlsPort();

    /**
     * WildFly: the mtls deployment's loopback plain-HTTP port for a TLS-terminating reverse proxy.
     * Tomcat: the port that server once had there; its proxy hop is now {@link #mtlsProxySocket()}
     * and nothing may listen on this port.
     */
    int mtlsProxyPort();

    /** The proxy hop's Unix domain socket (Tomcat), or null where the hop is {@link #mtlsProxyPort()} (WildFly). */
    default Path mtlsProxySocket() {
        return null;
    }

    /** The peer address the mtls deployment reports for the proxy, the one in proxy.trusted_addresses. */
    default String proxyPeerAddress() {
        return mtlsProxySocket() == null ? PROXY_ADDRESS : TestHome.UNIX_SOCKET_PEER;
    }

    /** The service home both deployments read. */
    Path home();

    /** The client-side demo material (ca.pem, demo-client.pem, demo-client-key.pem, ...). */
    Path demoDir();

    /** The certificates and keys made for the home, including the demo CA's private key. */
    DemoHome.Result material();

    /** Everything the server and both deployments logged since the last start. */
    String log();

    /** A line the server logs once it has started (and the deployments with it). */
    String startedLogMarker();

    /** Stops and starts the server on the same home (e.g. to prove state survives a restart). */
    void restart();

    boolean isRunning();

    /**
     * SIGKILL to the server's JVM: no shutdown hook runs, nothing is flushed or closed, as when the
     * process crashes or the kernel's OOM killer ends it. Returns when the process is gone; bring it
     * back with {@link #restart()}.
     */
    void kill();

    /**
     * The file both deployments' clock reads its offset from: the harness starts the server with
     * {@code -Didsvc.test.clock_offset_file} naming it (config/ServiceClock; test homes only).
     */
    default Path clockOffsetFile() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is started without a movable clock");
    }

    /**
     * Runs the server's clock {@code ahead} of the real time ({@link Duration#ZERO}: back on it), so
     * that a test lets codes and tokens expire without waiting; returns once the deployments read it
     * (they re-read the file at most every 100 ms).
     */
    default void setClockAhead(Duration ahead) {
        Path file = clockOffsetFile();
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(ahead.toMillis()), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- addresses ------------------------------------------------------------------------------

    default URI publicBase() {
        return URI.create("https://localhost:" + publicPort() + "/");
    }

    default URI mtlsBase() {
        return URI.create("https://localhost:" + mtlsPort() + "/");
    }

    /** The issuer: the mtls base URL without trailing slash. */
    default String issuer() {
        return "https://localhost:" + mtlsPort();
    }

    // ---- certificates -----------------------------------------------------------------------------

    default Issued demoCa() {
        return material().ca();
    }

    /** demo-client, other-client or unregistered, with its private key. */
    default Issued client(String clientName) {
        return switch (clientName) {
            case DEMO_CLIENT -> material().demoClient();
            case OTHER_CLIENT -> material().otherClient();
            case UNREGISTERED -> material().unregistered();
            default -> throw new IllegalArgumentException("no demo certificate for " + clientName);
        };
    }

    /** Trusts the demo CA and presents the certificate of {@code clientName} (demo-client, other-client, unregistered). */
    default SSLContext sslContext(String clientName) {
        if (!List.of(DEMO_CLIENT, OTHER_CLIENT, UNREGISTERED).contains(clientName)) {
            throw new IllegalArgumentException("no demo certificate for " + clientName);
        }
        return sslContext(Pem.certificates(demoDir().resolve(clientName + ".pem")), Pem.privateKey(demoDir().resolve(clientName + "-key.pem")));
    }

    /** Trusts the demo CA and presents the given certificate, whoever issued it. */
    default SSLContext sslContext(Issued client) {
        return sslContext(client.chain(), client.privateKey());
    }

    /** Trusts the demo CA and presents the given chain (leaf first) and key, whoever issued them. */
    default SSLContext sslContext(List<X509Certificate> chain, PrivateKey key) {
        return TlsContexts.of(demoDir().resolve("ca.pem"), new KeyManager[] {new ClientTls.FixedClientKeyManager(chain, key)});
    }

    /** Trusts the demo CA and has no client certificate. */
    default SSLContext sslContextWithoutClientCert() {
        return TlsContexts.of(demoDir().resolve("ca.pem"), null);
    }

    /** The client side of the tests' TLS. */
    final class ClientTls {
        private ClientTls() {}

        /**
         * Always offers its one certificate, even when the server's list of acceptable issuers does
         * not name its CA: tests must see the server refuse a certificate, not the client withhold it.
         */
        static final class FixedClientKeyManager extends X509ExtendedKeyManager {
            private static final String ALIAS = "client";
            private final X509KeyManager delegate;

            FixedClientKeyManager(List<X509Certificate> chain, PrivateKey key) {
                try {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    ks.load(null, null);
                    ks.setKeyEntry(ALIAS, key, "x".toCharArray(), chain.toArray(X509Certificate[]::new));
                    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
                    kmf.init(ks, "x".toCharArray());
                    delegate = (X509KeyManager) kmf.getKeyManagers()[0];
                } catch (GeneralSecurityException | java.io.IOException e) {
                    throw new IllegalStateException("cannot build the client key manager", e);
                }
            }

            @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return ALIAS; }
            @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return ALIAS; }
            @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {ALIAS}; }
            @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
            @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
            @Override public X509Certificate[] getCertificateChain(String alias) { return delegate.getCertificateChain(alias); }
            @Override public PrivateKey getPrivateKey(String alias) { return delegate.getPrivateKey(alias); }
        }
    }
}
