package be.idsvc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

import be.idsvc.admin.DemoHome;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.Pem;

/**
 * The real Tomcat with both deployments of the WAR, started once per test JVM through
 * {@code scripts/tomcat start} on a fresh demo service home in {@code target/it/home} (public port
 * 18443, mtls port 19443, so a running {@code scripts/run} demo does not collide). Stopped at JVM
 * exit. Use {@link #get()}.
 *
 * <p>System properties (set by failsafe): {@code idsvc.project.dir}, {@code idsvc.war},
 * {@code idsvc.servers.dir}; optional {@code idsvc.it.public.port}, {@code idsvc.it.mtls.port}.
 */
public final class TomcatServer {
    public static final String DEMO_CLIENT = "demo-client";
    public static final String OTHER_CLIENT = "other-client";
    public static final String UNREGISTERED = "unregistered";
    /** The loopback address the test reverse proxy connects from. */
    public static final String PROXY_ADDRESS = "127.0.0.2";

    private static TomcatServer instance;

    private final Path project;
    private final Path war;
    private final Path serversDir;
    private final Path itDir;
    private final Path home;
    private final Path demo;
    private final Path catalinaBase;
    private final int publicPort;
    private final int mtlsPort;
    private final DemoHome.Result material;
    private boolean running;

    /** The server, created and started on first use. */
    public static synchronized TomcatServer get() {
        if (instance == null) {
            TomcatServer s = new TomcatServer();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopQuietly, "tomcat-it-stop"));
            s.start();
            instance = s;
        }
        return instance;
    }

    private TomcatServer() {
        project = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
        war = Path.of(System.getProperty("idsvc.war", project.resolve("target/idsvc.war").toString()));
        serversDir = Path.of(System.getProperty("idsvc.servers.dir", project.resolve("target/servers").toString()));
        publicPort = Integer.getInteger("idsvc.it.public.port", 18443);
        mtlsPort = Integer.getInteger("idsvc.it.mtls.port", 19443);
        itDir = project.resolve("target/it");
        home = itDir.resolve("home");
        demo = itDir.resolve("demo");
        catalinaBase = itDir.resolve("tomcat");
        if (!Files.isRegularFile(war)) throw new IllegalStateException("no WAR at " + war + " (run mvn package first)");

        // a Tomcat left over by an aborted run would hold the ports and the old home
        script("stop");
        ServerScript.deleteRecursively(home);
        ServerScript.deleteRecursively(demo);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        material = DemoHome.create(new DemoHome.Options(home, demo, publicPort, mtlsPort, false),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        shortenLifetimes();
    }

    /**
     * Access tokens live 30 s here, so that expiry can be tested without long waits; codes keep the
     * production maximum of 60 s, which a test must outlast a server restart with, even on a busy
     * machine; the
     * reverse proxy of ReverseProxyIT connects from 127.0.0.2, the only address believed.
     */
    private void shortenLifetimes() {
        Path settings = home.resolve("idsvc.properties");
        try {
            String text = Files.readString(settings, StandardCharsets.UTF_8)
                    .replaceAll("(?m)^(code_ttl_seconds|access_token_ttl_seconds)=.*$", "");
            Files.writeString(settings, text + "\ncode_ttl_seconds=60\naccess_token_ttl_seconds=30\nproxy.trusted_addresses=" + PROXY_ADDRESS + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- addresses and files ---------------------------------------------------------------

    /** {@code https://localhost:18443/} */
    public URI publicBase() {
        return URI.create("https://localhost:" + publicPort + "/");
    }

    /** {@code https://localhost:19443/} */
    public URI mtlsBase() {
        return URI.create("https://localhost:" + mtlsPort + "/");
    }

    /** The issuer: the mtls base URL without trailing slash. */
    public String issuer() {
        return "https://localhost:" + mtlsPort;
    }

    public int publicPort() {
        return publicPort;
    }

    /** The mtls engine's loopback HTTP connector for a reverse proxy. */
    public int mtlsProxyPort() {
        return mtlsPort + 37;
    }

    public int mtlsPort() {
        return mtlsPort;
    }

    /** The service home both deployments read. */
    public Path home() {
        return home;
    }

    /** The client-side demo material (ca.pem, demo-client.pem, demo-client-key.pem, ...). */
    public Path demoDir() {
        return demo;
    }

    public Path catalinaBase() {
        return catalinaBase;
    }

    /** Tomcat's console log: everything the server and both deployments log. */
    public Path catalinaOut() {
        return catalinaBase.resolve("logs/catalina.out");
    }

    /** The catalina.out text. */
    public String log() {
        try {
            return Files.readString(catalinaOut(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificates and keys made for the home, including the demo CA's private key (to issue more certificates). */
    public DemoHome.Result material() {
        return material;
    }

    public Issued demoCa() {
        return material.ca();
    }

    /** demo-client, other-client or unregistered, with its private key. */
    public Issued client(String clientName) {
        return switch (clientName) {
            case DEMO_CLIENT -> material.demoClient();
            case OTHER_CLIENT -> material.otherClient();
            case UNREGISTERED -> material.unregistered();
            default -> throw new IllegalArgumentException("no demo certificate for " + clientName);
        };
    }

    // ---- TLS -------------------------------------------------------------------------------

    /** Trusts the demo CA and presents the certificate of {@code clientName} (demo-client, other-client, unregistered). */
    public SSLContext sslContext(String clientName) {
        if (!List.of(DEMO_CLIENT, OTHER_CLIENT, UNREGISTERED).contains(clientName)) {
            throw new IllegalArgumentException("no demo certificate for " + clientName);
        }
        List<X509Certificate> chain = Pem.certificates(demo.resolve(clientName + ".pem"));
        PrivateKey key = Pem.privateKey(demo.resolve(clientName + "-key.pem"));
        return sslContext(chain, key);
    }

    /** Trusts the demo CA and presents the given certificate, whoever issued it. */
    public SSLContext sslContext(Issued client) {
        return sslContext(client.chain(), client.privateKey());
    }

    /** Trusts the demo CA and presents the given chain (leaf first) and key, whoever issued them. */
    public SSLContext sslContext(List<X509Certificate> chain, PrivateKey key) {
        return newSslContext(new KeyManager[] {new FixedClientKeyManager(chain, key)});
    }

    /** Trusts the demo CA and has no client certificate. */
    public SSLContext sslContextWithoutClientCert() {
        return newSslContext(null);
    }

    /** An HTTP client that presents {@code clientName}'s certificate; does not follow redirects. */
    public HttpClient httpClient(String clientName) {
        return httpClient(sslContext(clientName));
    }

    public static HttpClient httpClient(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private SSLContext newSslContext(KeyManager[] keyManagers) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : Pem.certificates(demo.resolve("ca.pem"))) trust.setCertificateEntry("ca" + i++, ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }

    /**
     * Always offers its one certificate, even when the server's list of acceptable issuers does
     * not name its CA: tests must see the server refuse a certificate, not the client withhold it.
     */
    private static final class FixedClientKeyManager extends X509ExtendedKeyManager {
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
            } catch (GeneralSecurityException | IOException e) {
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

    // ---- lifecycle -------------------------------------------------------------------------

    /** Stops and starts Tomcat on the same home (e.g. to prove state survives a restart). */
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
        Path tomcat = tomcatHome();
        ServerScript.run(project, "tomcat", command, ServerScript.env(
                "CATALINA_BASE", catalinaBase.toString(),
                "IDSVC_HOME", home.toString(),
                "IDSVC_WAR", war.toString(),
                "IDSVC_PUBLIC_PORT", Integer.toString(publicPort),
                "IDSVC_MTLS_PORT", Integer.toString(mtlsPort),
                "IDSVC_MTLS_PROXY_PORT", Integer.toString(mtlsProxyPort()),
                "CATALINA_HOME", tomcat == null ? null : tomcat.toString()), 180);
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

}
