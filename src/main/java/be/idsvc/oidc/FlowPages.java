package be.idsvc.oidc;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.Flow;
import be.idsvc.core.SingleValuedForm;
import be.idsvc.identify.BrowserBinding;
import be.idsvc.identify.BrowserFlow;
import be.idsvc.web.Html;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * What the identification and consent pages share: finding the flow of this browser, the fields
 * every form of a flow posts, the refusals, and the way on to the next page.
 */
final class FlowPages {
    private FlowPages() {}

    /** A page request of a flow: the flow and its language, or the page that refuses it. */
    record Shown(Flow flow, Messages messages, Response refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    /**
     * The GET preamble of every flow page: no repeated query parameter, a ticket that opens in this
     * browser to a flow still undecided.
     */
    static Shown shown(BrowserFlow flows, UriInfo uri, String ticket, String lang, String acceptLanguage, String cookie) {
        if (anyRepeated(uri)) return new Shown(null, null, duplicateField(acceptLanguage));
        BrowserFlow.Found found = flows.find(ticket, BrowserBinding.secretFrom(cookie));
        if (found.flow() == null) return new Shown(null, null, refusal(found, messages(lang, acceptLanguage)));
        return new Shown(found.flow(), messages(found.flow(), lang, acceptLanguage), null);
    }

    /** A posted form of a flow: its fields, the flow, the browser's secret and the page language, or the page that refuses it. */
    record Posted(Map<String, String> fields, Flow flow, String browserSecret, Messages messages, Response refusal) {
        boolean refused() {
            return refusal != null;
        }

        String field(String name) {
            return fields.get(name);
        }
    }

    /**
     * The POST preamble of every flow page: each field once, a ticket that opens in this browser to
     * a flow still undecided, and the form's CSRF token of that flow and browser.
     */
    static Posted posted(BrowserFlow flows, MultivaluedMap<String, String> form, String acceptLanguage, String cookie) {
        // the body only: JAX-RS's @FormParam falls back to the servlet's parameters (the query string) when it is empty
        Optional<Map<String, String>> single = SingleValuedForm.exactlyOnce(form);
        if (single.isEmpty()) return new Posted(null, null, null, null, duplicateField(acceptLanguage));
        Map<String, String> fields = single.get();
        String secret = BrowserBinding.secretFrom(cookie);
        BrowserFlow.Found found = flows.find(fields.get("flow"), secret);
        if (found.flow() == null) return new Posted(fields, null, secret, null, refusal(found, messages(fields.get("lang"), acceptLanguage)));
        Flow flow = found.flow();
        Messages m = messages(flow, fields.get("lang"), acceptLanguage);
        if (!flows.csrfValid(flow, secret, fields.get("csrf"))) return new Posted(fields, flow, secret, m, csrfRefused(m));
        return new Posted(fields, flow, secret, m, null);
    }

    /** The page for a ticket that did not lead to a live flow. */
    private static Response refusal(BrowserFlow.Found found, Messages m) {
        return found.expired() ? flowExpired(m) : flowNotFound(m);
    }

    /** The form's CSRF token: bound to the browser and to the flow. */
    static String csrf(BrowserFlow flows, Flow flow, String cookie) {
        return flows.csrfToken(flow, BrowserBinding.secretFrom(cookie));
    }

    /**
     * The hidden fields a form of the flow posts: the ticket, the CSRF token, then the given
     * name/value pairs in order (such as {@code lang}).
     */
    static String hiddenFields(String ticket, String csrf, String... namesAndValues) {
        StringBuilder b = new StringBuilder(hidden("flow", ticket)).append(hidden("csrf", csrf));
        for (int i = 0; i < namesAndValues.length; i += 2) b.append(hidden(namesAndValues[i], namesAndValues[i + 1]));
        return b.toString();
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.esc(value) + "\">\n";
    }

    /** On to the next page of the flow, in the page's language. */
    static Response next(ServiceSettings settings, String page, String ticket, Messages m) {
        return Response.seeOther(URI.create(settings.publicEndpoint(page + "?flow=" + ticket + "&lang=" + m.lang())))
                .header("Cache-Control", "no-store").build();
    }

    /** The person identified: on to consent. */
    static Response toConsent(ServiceSettings settings, String ticket, Messages m) {
        return next(settings, "/consent", ticket, m);
    }

    /** The person declined: the client hears {@code access_denied} with its state; a flow decided already is not found. */
    static Response cancelled(BrowserFlow flows, ServiceSettings settings, Flow flow, Messages m) {
        if (!flows.cancel(flow)) return flowNotFound(m);
        return AuthorizationResponses.error(flow.request().redirectUri(), "access_denied",
                "the person declined", flow.request().state(), settings.issuer());
    }

    /** The origin of the client's redirect URI: a form whose answer redirects there must be allowed to (CSP form-action). */
    static String redirectOrigin(Flow flow) {
        URI u = URI.create(flow.request().redirectUri());
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** The page language for this flow: picked on the page, else the client's ui_locales, else the browser's. */
    static Messages messages(Flow flow, String picked, String acceptLanguage) {
        return Messages.choose(picked, flow.request().uiLocales(), acceptLanguage);
    }

    /** Without a flow: the language picked on the page, else the browser's. */
    static Messages messages(String picked, String acceptLanguage) {
        return Messages.choose(picked, null, acceptLanguage);
    }

    /** Whether a query parameter is repeated: which of the values a page would use is ambiguous. */
    static boolean anyRepeated(UriInfo uri) {
        return uri.getQueryParameters().values().stream().anyMatch(v -> v.size() > 1);
    }

    static Response duplicateField(String acceptLanguage) {
        return Pages.errorPage(400, messages(null, acceptLanguage), "error.request.title", "error.request.duplicate_field");
    }

    static Response flowNotFound(Messages m) {
        return Pages.errorPage(400, m, "error.flow.title", "error.flow.text");
    }

    /** A genuine ticket of this browser, past its time: the person starts again at the application. */
    static Response flowExpired(Messages m) {
        return Pages.errorPage(400, m, "error.flow_expired.title", "error.flow_expired.text");
    }

    static Response csrfRefused(Messages m) {
        return Pages.errorPage(403, m, "error.csrf.title", "error.csrf.text");
    }
}
