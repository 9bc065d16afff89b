package be.idsvc.web;

import java.io.IOException;

import be.idsvc.core.OAuthError;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The mtls deployment answers only requests that come with a verified client certificate, from the
 * connector or from a configured proxy. The connector should already demand one; if it was
 * configured without, this refuses rather than serving client APIs to anonymous callers.
 */
public final class MutualTlsRequiredFilter implements Filter {
    private final ClientCertificates certificates;

    public MutualTlsRequiredFilter(ClientCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        try {
            if (certificates.resolve((HttpServletRequest) req) == null) {
                throw OAuthError.invalidClient("this host serves only requests with a verified TLS client certificate");
            }
        } catch (OAuthError e) {
            JsonResponses.writeError((HttpServletResponse) res, e.status(), e.code(), e.description());
            return;
        }
        chain.doFilter(req, res);
    }
}
