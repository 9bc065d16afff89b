package be.idsvc.web;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request bodies the service never needs before anything reads them. JAX-RS reads form
 * bodies from the raw stream, where the connector's maxPostSize does not apply, so the limit is
 * enforced here: a declared length above {@link #MAX_BODY_BYTES} is 413, a body without a declared
 * length (chunked) is 411, and a charset other than UTF-8, US-ASCII or ISO-8859-1 is 415.
 *
 * <p>A POST with a query string is 400: no form of this service posts one, and for a form post with
 * an empty body JAX-RS takes {@code @FormParam} values from the servlet's parameters, query string
 * included (and Jersey logs the whole URL, which would put a client's code or verifier in the log).
 */
public final class RequestLimitsFilter implements Filter {
    /** The largest legitimate body is an eID readout with its photo; 256 KiB leaves room. */
    public static final long MAX_BODY_BYTES = 262_144;
    private static final Set<String> CHARSETS = Set.of("utf-8", "utf8", "us-ascii", "iso-8859-1");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        long length = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if ("POST".equals(request.getMethod()) && request.getQueryString() != null) {
            JsonResponses.writeError(response, 400, "invalid_request", "a POST carries its parameters in the body, not in the URL");
            return;
        }
        if (length > MAX_BODY_BYTES) {
            JsonResponses.writeError(response, 413, "invalid_request", "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        if (chunked) {
            JsonResponses.writeError(response, 411, "invalid_request", "a request body must declare its Content-Length");
            return;
        }
        String charset = charset(request.getContentType());
        if (charset != null && !CHARSETS.contains(charset)) {
            JsonResponses.writeError(response, 415, "invalid_request", "unsupported charset; send UTF-8");
            return;
        }
        chain.doFilter(req, res);
    }

    private static String charset(String contentType) {
        if (contentType == null) return null;
        for (String part : contentType.split(";")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) return p.substring(8).replace("\"", "").trim();
        }
        return null;
    }
}
