package be.idsvc.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers every answer carries. The default Content-Security-Policy allows nothing; pages widen it
 * to exactly what they use (their own stylesheet, their own form target). Nothing may frame us.
 */
public final class SecurityHeadersFilter implements Filter {
    public static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletResponse r = (HttpServletResponse) res;
        r.setHeader("Content-Security-Policy", DEFAULT_CSP);
        r.setHeader("X-Frame-Options", "DENY");
        r.setHeader("X-Content-Type-Options", "nosniff");
        r.setHeader("Referrer-Policy", "no-referrer");
        r.setHeader("Strict-Transport-Security", "max-age=31536000");
        r.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        r.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        chain.doFilter(req, res);
    }
}
