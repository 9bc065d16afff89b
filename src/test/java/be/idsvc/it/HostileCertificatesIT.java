package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.testclient.RelyingParty;

/**
 * Wrong, missing and forged client certificates and Client-Cert headers, on every client API of
 * the mtls deployment: refused by the TLS layer where it can judge, else with the exact OAuth error;
 * demo-client's live access token and code survive all of it.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCertificatesIT {
    final ServerUnderTest s = ServerUnderTest.get();

    RelyingParty demo;
    String accessToken;
    Flows.CodeAndAuth code;
    Hostile.StoreWatch store;
    int logMark;

    /** The client APIs, each as a request demo-client would rightly send. */
    enum Api { TOKEN, USERINFO, INTROSPECT, REVOKE, DISCOVERY, JWKS }

    /** What a client certificate that is not demo-client's (or not a client's at all) gets at each API. */
    private static int statusFor(Api api) {
        return 401;
    }

    private static String errorFor(Api api) {
        return api == Api.USERINFO ? "invalid_token" : "invalid_client";
    }

    @BeforeAll
    void liveCodeAndToken() {
        demo = Flows.demoClient(s);
        accessToken = (String) Flows.tokens(s, demo, "openid profile").get("access_token");
        code = Flows.code(s, demo, "openid");
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    private HttpResponse<String> call(HttpClient http, Api api, String... extraHeaders) {
        URI base = s.mtlsBase();
        String tokenForm = Hostile.form("grant_type", "authorization_code", "code", code.code(), "redirect_uri", demo.redirectUri(),
                "code_verifier", code.auth().verifier(), "client_id", "demo-client");
        String tokenRef = Hostile.form("token", accessToken, "client_id", "demo-client");
        return switch (api) {
            case TOKEN -> Hostile.postForm(http, base.resolve("/token"), tokenForm, extraHeaders);
            case USERINFO -> Hostile.send(http, "GET", base.resolve("/userinfo"), HttpRequest.BodyPublishers.noBody(),
                    concat(extraHeaders, "Authorization", "Bearer " + accessToken));
            case INTROSPECT -> Hostile.postForm(http, base.resolve("/introspect"), tokenRef, extraHeaders);
            case REVOKE -> Hostile.postForm(http, base.resolve("/revoke"), tokenRef, extraHeaders);
            case DISCOVERY -> Hostile.send(http, "GET", base.resolve("/.well-known/openid-configuration"), HttpRequest.BodyPublishers.noBody(), extraHeaders);
            case JWKS -> Hostile.send(http, "GET", base.resolve("/jwks"), HttpRequest.BodyPublishers.noBody(), extraHeaders);
        };
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- application layer: the handshake succeeds, the certificate is not demo-client's -------------

    /** Certificates the TLS layer accepts (they chain to the demo CA) but that are not demo-client's. */
    static List<Object[]> wrongButTrustedCertificates() {
        List<Object[]> out = new ArrayList<>();
        for (String who : List.of(ServerUnderTest.UNREGISTERED, ServerUnderTest.OTHER_CLIENT)) {
            for (Api api : List.of(Api.TOKEN, Api.USERINFO, Api.INTROSPECT, Api.REVOKE)) out.add(new Object[] {who, api});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} certificate at {1}")
    @MethodSource("wrongButTrustedCertificates")
    void anotherCertificateIsNotDemoClient(String who, Api api) {
        Hostile.assertOAuthError(call(Hostile.client(s.sslContext(who)), api), statusFor(api), errorFor(api));
    }

    /** The demo CA's own certificate (a trust anchor, so the handshake passes) is nobody's client certificate. */
    @ParameterizedTest(name = "the CA certificate at {0}")
    @MethodSource("clientApis")
    void theCaCertificateIsNotAClient(Api api) {
        Issued ca = s.demoCa();
        Hostile.assertOAuthError(call(Hostile.client(s.sslContext(List.of(ca.certificate()), ca.privateKey())), api), 401, errorFor(api));
    }

    static List<Api> clientApis() {
        return List.of(Api.TOKEN, Api.USERINFO, Api.INTROSPECT, Api.REVOKE);
    }

    static List<Api> allApis() {
        return List.of(Api.values());
    }

    /** The mTLS connector never believes a Client-Cert header, whatever it holds (DESIGN §3). */
    @ParameterizedTest(name = "Client-Cert on the mTLS connector at {0}")
    @MethodSource("allApis")
    void aClientCertHeaderOnTheMtlsConnectorIsRefused(Api api) {
        String other = ":" + Base64.getEncoder().encodeToString(der(ServerUnderTest.OTHER_CLIENT)) + ":";
        Hostile.assertOAuthError(call(Hostile.client(s.sslContext(ServerUnderTest.DEMO_CLIENT)), api, "Client-Cert", other), 400, "invalid_request");
    }

    @ParameterizedTest(name = "garbage Client-Cert on the mTLS connector at {0}")
    @MethodSource("clientApis")
    void aGarbageClientCertHeaderOnTheMtlsConnectorIsRefused(Api api) {
        Hostile.assertOAuthError(call(Hostile.client(s.sslContext(ServerUnderTest.DEMO_CLIENT)), api, "Client-Cert", ":!!:"), 400, "invalid_request");
    }

    // ---- TLS layer: certificates the handshake refuses ------------------------------------------------

    static List<String> untrustedCertificates() {
        return List.of("none", "self-signed with demo-client's subject", "foreign CA with demo-client's subject", "expired, demo CA",
                "not yet valid, demo CA", "issued by demo-client's certificate");
    }

    private SSLContext untrusted(String kind) {
        String dn = s.client(ServerUnderTest.DEMO_CLIENT).certificate().getSubjectX500Principal().getName();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return switch (kind) {
            case "none" -> s.sslContextWithoutClientCert();
            case "self-signed with demo-client's subject" -> s.sslContext(CertificateIssuer.selfSignedClient(dn));
            case "foreign CA with demo-client's subject" -> s.sslContext(CertificateIssuer.client(
                    CertificateIssuer.certificateAuthority(s.demoCa().certificate().getSubjectX500Principal().getName()), dn));
            case "expired, demo CA" -> s.sslContext(CertificateIssuer.client(s.demoCa(), dn, now.minus(10, ChronoUnit.DAYS),
                    now.minus(1, ChronoUnit.DAYS), CertificateIssuer.KeyType.EC_P256));
            case "not yet valid, demo CA" -> s.sslContext(CertificateIssuer.client(s.demoCa(), dn, now.plus(1, ChronoUnit.DAYS),
                    now.plus(10, ChronoUnit.DAYS), CertificateIssuer.KeyType.EC_P256));
            case "issued by demo-client's certificate" -> {
                Issued leaf = CertificateIssuer.client(s.client(ServerUnderTest.DEMO_CLIENT), dn);
                List<java.security.cert.X509Certificate> chain = new ArrayList<>(leaf.chain());
                yield s.sslContext(chain, leaf.privateKey());
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "TLS refuses: {0}")
    @MethodSource("untrustedCertificates")
    void theHandshakeRefuses(String kind) {
        HttpClient http = Hostile.client(untrusted(kind));
        var e = assertThrows(java.io.UncheckedIOException.class, () -> call(http, Api.JWKS));
        TlsRefusal.assertIs(e.getCause());
    }

    // ---- the proxy hop: only the proxy speaks there; its header must be well-formed ------------------

    /** From the proxy over the proxy hop, or from another local address over loopback TCP. */
    private Hostile.RawResponse toProxyHop(String from, String requestLine, String head, byte[] body) {
        return from.equals(ServerUnderTest.PROXY_ADDRESS) ? Hostile.asTheProxy(s, requestLine, head, body)
                : Hostile.raw(from, s.mtlsProxyPort(), requestLine, head, body);
    }

    /**
     * Another local process on the hop: on Tomcat the hop is a Unix domain socket, so no TCP port
     * exists to reach; on WildFly the loopback listener refuses a peer that is not the proxy.
     */
    private void assertStrangerRefused(String from, Api api, String clientCert) {
        if (s.mtlsProxySocket() != null) {
            var e = assertThrows(java.io.UncheckedIOException.class, () -> viaProxyConnector(from, api, clientCert));
            assertTrue(e.getCause() instanceof java.net.ConnectException, e.toString());
        } else {
            Hostile.assertRawOAuthError(viaProxyConnector(from, api, clientCert), 401, "invalid_client");
        }
    }

    private Hostile.RawResponse viaProxyConnector(String from, Api api, String clientCert) {
        String head = clientCert == null ? "" : "Client-Cert: " + clientCert + "\r\n";
        return switch (api) {
            case TOKEN, INTROSPECT, REVOKE -> {
                String path = api == Api.TOKEN ? "/token" : api == Api.INTROSPECT ? "/introspect" : "/revoke";
                String form = api == Api.TOKEN
                        ? Hostile.form("grant_type", "authorization_code", "code", code.code(), "redirect_uri", demo.redirectUri(),
                                "code_verifier", "x".repeat(43), "client_id", "demo-client")
                        : Hostile.form("token", accessToken, "client_id", "demo-client");
                yield toProxyHop(from, "POST " + path + " HTTP/1.1",
                        head + "Content-Type: application/x-www-form-urlencoded\r\n", form.getBytes(StandardCharsets.US_ASCII));
            }
            case USERINFO -> toProxyHop(from, "GET /userinfo HTTP/1.1", head + "Authorization: Bearer " + accessToken + "\r\n", null);
            case DISCOVERY -> toProxyHop(from, "GET /.well-known/openid-configuration HTTP/1.1", head, null);
            case JWKS -> toProxyHop(from, "GET /jwks HTTP/1.1", head, null);
        };
    }

    private byte[] der(String who) {
        try {
            return s.client(who).certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String rfc9440(String who) {
        return ":" + Base64.getEncoder().encodeToString(der(who)) + ":";
    }

    @ParameterizedTest(name = "proxy connector from 127.0.0.1 with demo-client's Client-Cert at {0}")
    @MethodSource("allApis")
    void theProxyConnectorBelievesNobodyButTheProxy(Api api) {
        assertStrangerRefused("127.0.0.1", api, rfc9440(ServerUnderTest.DEMO_CLIENT));
    }

    @ParameterizedTest(name = "proxy connector from 127.0.0.1 without a certificate at {0}")
    @MethodSource("allApis")
    void theProxyConnectorWithoutACertificate(Api api) {
        assertStrangerRefused("127.0.0.1", api, null);
    }

    @ParameterizedTest(name = "proxy without a Client-Cert at {0}")
    @MethodSource("allApis")
    void theProxyWithoutAClientCertIsNoClient(Api api) {
        Hostile.assertRawOAuthError(viaProxyConnector(ServerUnderTest.PROXY_ADDRESS, api, null), 401, "invalid_client");
    }

    /** Client-Cert values that hold no certificate: 400 invalid_request, never a 500. */
    static List<String> malformedHeaders() {
        return List.of("::", ":!!!:", ":bm90IGEgY2VydGlmaWNhdGU=:", "garbage", ":AAAA", "AAAA:", "%zz%zz",
                "-----BEGIN%20CERTIFICATE-----", "-----BEGIN%20CERTIFICATE-----%0A-----END%20CERTIFICATE-----",
                "-----BEGIN%20CERTIFICATE-----%0AMIIB%0A-----END%20CERTIFICATE-----", ":" + "A".repeat(11_000) + ":",
                "truncated DER", "DER with a huge length", "DER with an indefinite length", "two certificates in one header");
    }

    private String malformed(String spec) {
        byte[] der = der(ServerUnderTest.DEMO_CLIENT);
        Base64.Encoder b64 = Base64.getEncoder();
        return switch (spec) {
            case "truncated DER" -> ":" + b64.encodeToString(Arrays.copyOf(der, der.length / 2)) + ":";
            case "DER with a huge length" -> {
                byte[] bad = der.clone();
                bad[1] = (byte) 0x84; // four length bytes follow: 0x82 .. becomes a length far past the end
                yield ":" + b64.encodeToString(bad) + ":";
            }
            case "DER with an indefinite length" -> {
                byte[] bad = der.clone();
                bad[1] = (byte) 0x80;
                yield ":" + b64.encodeToString(bad) + ":";
            }
            case "two certificates in one header" -> rfc9440(ServerUnderTest.DEMO_CLIENT) + "," + rfc9440(ServerUnderTest.OTHER_CLIENT);
            default -> spec;
        };
    }

    @ParameterizedTest(name = "malformed Client-Cert from the proxy: {0}")
    @MethodSource("malformedHeaders")
    void aMalformedClientCertFromTheProxyIsInvalidRequest(String spec) {
        Hostile.assertRawOAuthError(viaProxyConnector(ServerUnderTest.PROXY_ADDRESS, Api.TOKEN, malformed(spec)), 400, "invalid_request");
    }

    @ParameterizedTest(name = "two Client-Cert headers from the proxy at {0}")
    @MethodSource("clientApis")
    void twoClientCertHeadersAreInvalidRequest(Api api) {
        String two = rfc9440(ServerUnderTest.DEMO_CLIENT) + "\r\nClient-Cert: " + rfc9440(ServerUnderTest.DEMO_CLIENT);
        Hostile.assertRawOAuthError(viaProxyConnector(ServerUnderTest.PROXY_ADDRESS, api, two), 400, "invalid_request");
    }

    @ParameterizedTest(name = "the proxy forwarding {0}'s certificate for demo-client at {1}")
    @MethodSource("wrongButTrustedCertificates")
    void theProxyForwardingAnotherCertificate(String who, Api api) {
        Hostile.assertRawOAuthError(viaProxyConnector(ServerUnderTest.PROXY_ADDRESS, api, rfc9440(who)), 401, errorFor(api));
    }

    @AfterAll
    void demoClientsCodeAndTokenSurvive() {
        store.assertUnchanged();
        HttpResponse<String> u = Hostile.watched(demo.userinfo(accessToken));
        assertEquals(200, u.statusCode(), "the access token survived: " + u.body());
        HttpResponse<String> t = Hostile.watched(demo.token(code.code(), code.auth().verifier()));
        assertEquals(200, t.statusCode(), "the code survived: " + t.body());
        HttpResponse<String> pem = Hostile.watched(demo.get(s.mtlsBase().resolve("/jwks"), Map.of()));
        assertEquals(200, pem.statusCode());
        Hostile.assertQuietSince(s, logMark);
    }
}
