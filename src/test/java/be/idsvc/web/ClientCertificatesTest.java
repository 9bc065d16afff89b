package be.idsvc.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import be.idsvc.config.ConfigurationException;
import be.idsvc.core.OAuthError;
import be.idsvc.pki.CertificateIssuer;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Issue 13 defect 1: which requests may carry the client certificate in Client-Cert. The connector
 * facts a servlet container reports (TLS or not, local port, peer address) are stated per case.
 */
class ClientCertificatesTest {
    static final X509Certificate TLS_CERT = CertificateIssuer.selfSignedClient("CN=tls,O=Test,C=BE").certificate();
    static final X509Certificate OTHER = CertificateIssuer.selfSignedClient("CN=other,O=Test,C=BE").certificate();
    static final int PROXY_PORT = 9480;
    static final ClientCertificates ON_PORT = new ClientCertificates(Set.of("127.0.0.1", "127.0.0.2"), ProxyConnector.parse("9480"));
    static final ClientCertificates ON_UNIX = new ClientCertificates(Set.of("127.0.0.1"), ProxyConnector.parse("unix"));

    static String header(X509Certificate c) {
        try {
            return ":" + java.util.Base64.getEncoder().encodeToString(c.getEncoded()) + ":";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A request as the container reports it. */
    static HttpServletRequest request(boolean tls, int localPort, String remoteAddr, List<String> clientCert) {
        Map<String, Object> attributes = new HashMap<>();
        if (tls) {
            attributes.put("jakarta.servlet.request.X509Certificate", new X509Certificate[] {TLS_CERT});
            attributes.put("jakarta.servlet.request.cipher_suite", "TLS_AES_128_GCM_SHA256");
        }
        return (HttpServletRequest) Proxy.newProxyInstance(ClientCertificatesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isSecure" -> tls;
                    case "getLocalPort" -> localPort;
                    case "getRemoteAddr" -> remoteAddr;
                    case "getHeaders" -> Collections.enumeration("Client-Cert".equalsIgnoreCase((String) args[0]) ? clientCert : List.of());
                    case "getHeader" -> "Client-Cert".equalsIgnoreCase((String) args[0]) && !clientCert.isEmpty() ? clientCert.get(0) : null;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static void assertRefused(int status, String error, String description, Runnable r) {
        OAuthError e = assertThrows(OAuthError.class, r::run);
        assertEquals(status, e.status());
        assertEquals(error, e.code());
        assertEquals(description, e.description());
    }

    @Test
    void theHandshakesCertificateOnTheMutualTlsConnector() {
        assertArrayEquals(new X509Certificate[] {TLS_CERT}, ON_PORT.resolve(request(true, 9443, "127.0.0.1", List.of())));
    }

    @Test
    void aHeaderOnTheMutualTlsConnectorIsRefusedEvenFromAProxyAddress() {
        String mtls = "a Client-Cert header is not accepted on the mutual TLS connector: present the certificate in the TLS handshake";
        assertRefused(400, "invalid_request", mtls, () -> ON_PORT.resolve(request(true, 9443, "127.0.0.1", List.of(header(OTHER)))));
        assertRefused(400, "invalid_request", mtls, () -> ON_UNIX.resolve(request(true, 9443, "127.0.0.1", List.of(header(OTHER)))));
        // even when the TLS connector happens to share the proxy connector's port number on another address
        assertRefused(400, "invalid_request", mtls, () -> ON_PORT.resolve(request(true, PROXY_PORT, "127.0.0.2", List.of(header(OTHER)))));
    }

    @Test
    void theHeaderOnTheProxyConnectorFromAProxyAddressIsTheCertificate() {
        assertArrayEquals(new X509Certificate[] {OTHER}, ON_PORT.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of(header(OTHER)))));
        assertArrayEquals(new X509Certificate[] {OTHER}, ON_UNIX.resolve(request(false, 0, "127.0.0.1", List.of(header(OTHER)))));
        assertNull(ON_PORT.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of())), "no header: no certificate");
    }

    @Test
    void aHeaderOnAnyOtherPlainConnectorIsRefused() {
        String refused = "a Client-Cert header is accepted only from a configured proxy on its own connector";
        // a second plain connector (say an AJP or debugging one) from a trusted address
        assertRefused(401, "invalid_client", refused, () -> ON_PORT.resolve(request(false, 8080, "127.0.0.2", List.of(header(OTHER)))));
        assertRefused(401, "invalid_client", refused, () -> ON_UNIX.resolve(request(false, 8080, "127.0.0.1", List.of(header(OTHER)))));
        // the proxy connector, from an address that is not a proxy's
        assertRefused(401, "invalid_client", refused, () -> ON_PORT.resolve(request(false, PROXY_PORT, "127.0.0.3", List.of(header(OTHER)))));
        // no proxy connector configured at all
        ClientCertificates none = new ClientCertificates(Set.of("127.0.0.2"), ProxyConnector.parse(null));
        assertRefused(401, "invalid_client", refused, () -> none.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of(header(OTHER)))));
        assertNull(none.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of())));
    }

    @Test
    void aPlainConnectorMarkedSecureIsStillNotTheProxyConnector() {
        // Tomcat's secure="true" on a plain connector: isSecure() without a handshake behind it
        HttpServletRequest r = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> switch (m.getName()) {
                    case "isSecure" -> true;
                    case "getHeaders" -> Collections.enumeration(List.of(header(OTHER)));
                    case "getAttribute" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        assertRefused(400, "invalid_request",
                "a Client-Cert header is not accepted on the mutual TLS connector: present the certificate in the TLS handshake",
                () -> ON_PORT.resolve(r));
    }

    @Test
    void malformedAndRepeatedHeadersFromTheProxyAreInvalidRequests() {
        assertRefused(400, "invalid_request", "the Client-Cert header does not hold exactly one X.509 certificate",
                () -> ON_PORT.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of(":bm90IGEgY2VydGlmaWNhdGU=:"))));
        assertRefused(400, "invalid_request", "the Client-Cert header does not hold exactly one X.509 certificate",
                () -> ON_PORT.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of("-----BEGIN%20CERTIFICATE-----%0AMIIB%zz"))));
        assertRefused(400, "invalid_request", "more than one Client-Cert header",
                () -> ON_PORT.resolve(request(false, PROXY_PORT, "127.0.0.2", List.of(header(OTHER), header(OTHER)))));
    }

    @Test
    void theProxyConnectorSettingIsUnixOrAPort() {
        for (String bad : new String[] {"0", "65536", "tcp", "unix:", "-1", "127.0.0.1:9480"}) {
            assertThrows(ConfigurationException.class, () -> ProxyConnector.parse(bad), bad);
        }
        assertEquals("the plain HTTP connector on local port 9480", ProxyConnector.parse(" 9480 ").toString());
        assertEquals("the Unix domain socket connector", ProxyConnector.parse("unix").toString());
    }
}
