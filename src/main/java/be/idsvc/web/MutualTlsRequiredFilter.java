package be.idsvc.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The mtls deployment answers only requests that arrived with a verified client certificate. The
 * connector should already demand one; if it was configured without, this refuses rather than
 * serving client APIs to anonymous callers.
 */
public final class MutualTlsRequiredFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (ClientCertificates.of(request) == null) {
            JsonResponses.writeError((HttpServletResponse) res, 401, "invalid_client",
                    "this host serves only requests with a verified TLS client certificate");
            return;
        }
        chain.doFilter(req, res);
    }
}
