package be.idsvc.web;

import java.util.logging.Level;
import java.util.logging.Logger;

import be.idsvc.core.OAuthError;
import be.idsvc.store.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * The last line: every exception becomes a clear answer. Client mistakes keep their 4xx status, a
 * store outage is 503 with Retry-After, and anything else (a bug) is logged with its stack trace
 * (our exceptions never carry tokens or personal data) and answered without detail.
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    @Context
    private HttpHeaders headers;

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof OAuthError o) {
            Response.ResponseBuilder b = Response.fromResponse(JsonResponses.error(o.status(), o.code(), o.description()));
            if ("invalid_token".equals(o.code())) {
                b.header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + o.description() + "\"");
            }
            if (o.status() == 503) b.header("Retry-After", "5");
            return b.build();
        }
        if (e instanceof StoreUnavailableException) {
            LOG.warning(() -> "answering 503: " + StoreUnavailableException.describe(e));
            Response r = wantsHtml()
                    ? Pages.errorPage(503, messages(), "error.unavailable.title", "error.unavailable.text")
                    : JsonResponses.error(503, "temporarily_unavailable", "the service is temporarily unavailable; retry shortly");
            return Response.fromResponse(r).header("Retry-After", "5").build();
        }
        if (e instanceof java.nio.charset.IllegalCharsetNameException || e instanceof java.nio.charset.UnsupportedCharsetException) {
            return JsonResponses.error(415, "invalid_request", "unsupported charset; send UTF-8");
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            String description = switch (status) {
                case 404 -> "no such endpoint";
                case 405 -> "method not allowed";
                case 406 -> "cannot answer in an acceptable media type";
                case 415 -> "unsupported content type";
                default -> "malformed request";
            };
            Response r = wantsHtml() ? Pages.errorPage(status, messages(), "error.request.title", "error.request.text", description)
                    : JsonResponses.error(status, status == 404 ? "not_found" : "invalid_request", description);
            Response.ResponseBuilder b = Response.fromResponse(r);
            if (status == 405 && w.getResponse().getHeaderString("Allow") != null) b.header("Allow", w.getResponse().getHeaderString("Allow"));
            return b.build();
        }
        LOG.log(Level.SEVERE, "unexpected error", e);
        return wantsHtml() ? Pages.errorPage(500, messages(), "error.server.title", "error.server.text")
                : JsonResponses.error(500, "server_error", "unexpected error");
    }

    /** Outside a flow: the browser's language. */
    private Messages messages() {
        String acceptLanguage = null;
        try {
            acceptLanguage = headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE);
        } catch (RuntimeException e) {
            // no request context: English
        }
        return Messages.choose(null, null, acceptLanguage);
    }

    private boolean wantsHtml() {
        try {
            return headers != null && headers.getAcceptableMediaTypes().stream()
                    .anyMatch(m -> m.isCompatible(MediaType.TEXT_HTML_TYPE) && !m.isWildcardType());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
