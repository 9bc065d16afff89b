package be.idsvc.web;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;

import be.idsvc.clientauth.ForwardedClientCertificate;
import be.idsvc.core.OAuthError;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Where the mtls deployment learns a request's client certificate: from the TLS connector, or from
 * a configured proxy's {@code Client-Cert} header. Resolved once per request by
 * {@link MutualTlsRequiredFilter}; endpoints read the result with {@link #of}.
 */
public final class ClientCertificates {
    private static final String RESOLVED = "be.idsvc.client-certificate";
    private final Set<String> trustedProxies;

    public ClientCertificates(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    /**
     * The client certificate chain, or null when there is none. A {@code Client-Cert} header from a
     * peer that is not a configured proxy is refused, never ignored: ignoring it would let a
     * misconfigured proxy path silently fall back to the proxy's own identity.
     */
    public X509Certificate[] resolve(HttpServletRequest request) {
        boolean fromProxy = trustedProxies.contains(request.getRemoteAddr());
        int headers = Collections.list(request.getHeaders(ForwardedClientCertificate.HEADER)).size();
        if (headers > 0 && !fromProxy) {
            throw OAuthError.invalidClient("a Client-Cert header is accepted only from a configured proxy");
        }
        X509Certificate[] chain;
        if (fromProxy) {
            if (headers > 1) throw OAuthError.invalidRequest("more than one Client-Cert header");
            try {
                chain = headers == 0 ? null
                        : new X509Certificate[] {ForwardedClientCertificate.parse(request.getHeader(ForwardedClientCertificate.HEADER))};
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidRequest(e.getMessage());
            }
        } else {
            Object tls = request.getAttribute("jakarta.servlet.request.X509Certificate");
            chain = tls instanceof X509Certificate[] c && c.length > 0 ? c : null;
        }
        request.setAttribute(RESOLVED, chain);
        return chain;
    }

    /** The chain {@link #resolve} found for this request (the filter has run on every mtls request). */
    public static X509Certificate[] of(HttpServletRequest request) {
        return (X509Certificate[]) request.getAttribute(RESOLVED);
    }
}
