package be.idsvc.web;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import be.idsvc.clientauth.ForwardedClientCertificate;
import be.idsvc.core.OAuthError;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Where the mtls deployment learns a request's client certificate: from the TLS handshake, or from
 * the {@code Client-Cert} header that the proxy forwards over its own connector. Resolved once per
 * request by {@link MutualTlsRequiredFilter}; endpoints read the result with {@link #of}.
 *
 * <p>The header is believed only when all three hold: the request did not arrive over TLS, it came
 * over the {@link ProxyConnector} the server configuration names, and its peer address is one of
 * {@code proxy.trusted_addresses}. A header anywhere else is refused, never ignored: ignoring it
 * would let a misconfigured proxy path fall back silently to no certificate or the wrong one.
 */
public final class ClientCertificates {
    private static final String RESOLVED = "be.idsvc.client-certificate";
    private static final String TLS_CHAIN = "jakarta.servlet.request.X509Certificate";
    private static final String TLS_CIPHER = "jakarta.servlet.request.cipher_suite";
    private final Set<String> trustedProxies;
    private final ProxyConnector proxyConnector;

    public ClientCertificates(Set<String> trustedProxies, ProxyConnector proxyConnector) {
        this.trustedProxies = Set.copyOf(trustedProxies);
        this.proxyConnector = proxyConnector;
    }

    /** The client certificate chain, or null when there is none. */
    public X509Certificate[] resolve(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders(ForwardedClientCertificate.HEADER));
        X509Certificate[] chain;
        if (overTls(request)) {
            // The handshake proved the key; a header next to it could only be an attempt to swap identities.
            if (!headers.isEmpty()) {
                throw OAuthError.invalidRequest("a Client-Cert header is not accepted on the mutual TLS connector: "
                        + "present the certificate in the TLS handshake");
            }
            Object tls = request.getAttribute(TLS_CHAIN);
            chain = tls instanceof X509Certificate[] c && c.length > 0 ? c : null;
        } else if (proxyConnector.carried(request) && trustedProxies.contains(request.getRemoteAddr())) {
            if (headers.size() > 1) throw OAuthError.invalidRequest("more than one Client-Cert header");
            try {
                chain = headers.isEmpty() ? null : new X509Certificate[] {ForwardedClientCertificate.parse(headers.get(0))};
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidRequest(e.getMessage());
            }
        } else {
            if (!headers.isEmpty()) {
                throw OAuthError.invalidClient("a Client-Cert header is accepted only from a configured proxy on its own connector");
            }
            chain = null;
        }
        request.setAttribute(RESOLVED, chain);
        return chain;
    }

    /**
     * isSecure alone is a connector setting (Tomcat's {@code secure="true"} is often set on plain
     * connectors behind a proxy); the TLS attributes come from the handshake itself.
     */
    private static boolean overTls(HttpServletRequest request) {
        return request.isSecure() || request.getAttribute(TLS_CHAIN) != null || request.getAttribute(TLS_CIPHER) != null;
    }

    /** The chain {@link #resolve} found for this request (the filter has run on every mtls request). */
    public static X509Certificate[] of(HttpServletRequest request) {
        return (X509Certificate[]) request.getAttribute(RESOLVED);
    }
}
