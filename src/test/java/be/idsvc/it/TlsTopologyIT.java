package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import be.idsvc.admin.DemoHome;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;

/**
 * The TLS layer of the two deployments (DESIGN §2, §3 layer 1), with real handshakes against the
 * real server: public asks for no client certificate; mtls completes only for a certificate that
 * chains to a trusted CA or is a pinned self-signed one. Any HTTP status is accepted where only
 * the TLS layer is under test: the application layer is tested elsewhere.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class TlsTopologyIT {
    static ServerUnderTest server;

    @BeforeAll
    static void start() {
        server = ServerUnderTest.get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void publicCompletesAHandshakeWithoutAClientCertificate(String protocol) throws Exception {
        HttpResponse<String> r = get(server.sslContextWithoutClientCert(), protocol, server.publicBase().resolve("/health"));
        SSLSession session = r.sslSession().orElseThrow();
        assertEquals(protocol, session.getProtocol());
        assertNull(session.getLocalCertificates(), "no client certificate was sent");
        assertEquals(Optional.of("idsvc"), r.headers().firstValue("server"), "the Server header names no version");
        assertTrue(r.headers().firstValue("x-powered-by").isEmpty());
    }

    @Test
    void publicDoesNotAskForAClientCertificate() throws Exception {
        HttpResponse<String> r = get(server.sslContext(ServerUnderTest.DEMO_CLIENT), "TLSv1.3", server.publicBase());
        assertNull(r.sslSession().orElseThrow().getLocalCertificates(),
                "the public connector must not request a client certificate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void mtlsRefusesAClientWithoutCertificate(String protocol) {
        // TLS 1.2: the handshake fails; TLS 1.3: the server's alert arrives at the first read
        IOException e = assertThrows(IOException.class,
                () -> get(server.sslContextWithoutClientCert(), protocol, server.mtlsBase()));
        System.out.println(server.kind().displayName + ", no certificate, " + protocol + ": " + TlsRefusal.chain(e));
        TlsRefusal.assertIs(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo-client/TLSv1.2", "demo-client/TLSv1.3", "other-client/TLSv1.2", "other-client/TLSv1.3"})
    void mtlsAcceptsTheRegisteredClientsCertificates(String clientAndProtocol) throws Exception {
        String[] p = clientAndProtocol.split("/");
        HttpResponse<String> r = get(server.sslContext(p[0]), p[1], server.mtlsBase().resolve("/.well-known/openid-configuration"));
        SSLSession session = r.sslSession().orElseThrow();
        assertEquals(p[1], session.getProtocol());
        Certificate[] sent = session.getLocalCertificates();
        assertArrayEquals(new Certificate[] {server.client(p[0]).certificate()}, sent);
        assertTrue(r.statusCode() >= 100, "an HTTP answer");
    }

    @Test
    void mtlsAcceptsAnUnregisteredCertificateOfATrustedCaAtTheTlsLayer() throws Exception {
        // registered nowhere: only the application layer (pins) can refuse it
        HttpResponse<String> r = get(server.sslContext(ServerUnderTest.UNREGISTERED), "TLSv1.3", server.mtlsBase());
        assertEquals(server.client(ServerUnderTest.UNREGISTERED).certificate(), r.sslSession().orElseThrow().getLocalCertificates()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void mtlsRefusesACertificateOfAForeignCa(String protocol) {
        // same subject DN as demo-client, but issued by a CA the server does not trust
        Issued foreignCa = CertificateIssuer.certificateAuthority("CN=Foreign CA,O=Elsewhere,C=BE");
        Issued impostor = CertificateIssuer.client(foreignCa, DemoHome.DEMO_CLIENT_DN);
        IOException e = assertThrows(IOException.class, () -> get(server.sslContext(impostor), protocol, server.mtlsBase()));
        System.out.println(server.kind().displayName + ", foreign CA, " + protocol + ": " + TlsRefusal.chain(e));
        TlsRefusal.assertIs(e);
    }

    @Test
    void mtlsRefusesASelfSignedCertificateThatIsNotPinned() {
        Issued stranger = CertificateIssuer.selfSignedClient(DemoHome.OTHER_CLIENT_DN);
        TlsRefusal.assertIs(assertThrows(IOException.class, () -> get(server.sslContext(stranger), "TLSv1.3", server.mtlsBase())));
    }

    @Test
    void aRestartedServerServesBothPortsAgain() throws Exception {
        server.restart();
        assertTrue(server.isRunning());
        get(server.sslContextWithoutClientCert(), "TLSv1.3", server.publicBase());
        get(server.sslContext(ServerUnderTest.DEMO_CLIENT), "TLSv1.3", server.mtlsBase());
        assertTrue(server.log().contains(server.startedLogMarker()), server.kind().displayName + " logged no start");
    }

    private static HttpResponse<String> get(SSLContext ssl, String protocol, URI uri) throws IOException, InterruptedException {
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setProtocols(new String[] {protocol});
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).sslParameters(params)
                .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
