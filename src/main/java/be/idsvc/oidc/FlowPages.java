package be.idsvc.oidc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import be.idsvc.core.Flow;
import be.idsvc.store.FlowStore.FlowProgress;
import be.idsvc.store.FlowTickets;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** What the identification and consent pages share: finding the flow of this browser. */
final class FlowPages {
    private FlowPages() {}

    /** The flow of this browser, or why there is none. */
    record Found(Flow flow, boolean expired) {
        boolean isEmpty() {
            return flow == null;
        }

        Flow get() {
            return flow;
        }

        /** The page for a ticket that did not lead to a live flow. */
        Response refusal(Messages m) {
            return expired ? flowExpired(m) : flowNotFound(m);
        }
    }

    /**
     * Opens the ticket with this browser's secret (a foreign, forged or tampered ticket finds
     * nothing), then asks the store what the person did so far: a decided flow is over.
     */
    static Found find(ServiceComponents c, String ticket, String cookie) {
        String secret = BrowserBinding.secretFrom(cookie);
        long now = c.now();
        FlowTickets.Opened opened = c.tickets.open(ticket, secret, now);
        if (opened.status() == FlowTickets.Opened.Status.EXPIRED) return new Found(null, true);
        if (opened.status() != FlowTickets.Opened.Status.VALID) return new Found(null, false);
        FlowTickets.Ticket t = opened.ticket();
        Optional<FlowProgress> progress = c.store.findFlowProgress(t.flowId(), secret, now);
        if (progress.isPresent() && progress.get().decided()) return new Found(null, false);
        return new Found(new Flow(t.value(), t.flowId(), t.request(), t.expiresAt(), progress.map(FlowProgress::identity).orElse(null)),
                false);
    }

    /** The form's CSRF token: bound to the browser and to the flow. */
    static String csrf(Flow flow, String cookie) {
        return BrowserBinding.csrfToken(BrowserBinding.secretFrom(cookie), flow.id());
    }

    static boolean csrfValid(Flow flow, String cookie, String token) {
        return BrowserBinding.csrfValid(BrowserBinding.secretFrom(cookie), flow.id(), token);
    }

    /** The page language for this flow: picked on the page, else the client's ui_locales, else the browser's. */
    static Messages messages(Flow flow, String picked, String acceptLanguage) {
        return Messages.choose(picked, flow.request().uiLocales(), acceptLanguage);
    }

    /** Without a flow: the language picked on the page, else the browser's. */
    static Messages messages(String picked, String acceptLanguage) {
        return Messages.choose(picked, null, acceptLanguage);
    }

    /**
     * The fields of a page's form, each at most once, or empty when a field is repeated: a repeated
     * field is ambiguous, so the whole post is refused rather than one value picked. The form is the
     * request body only (JAX-RS's {@code @FormParam} falls back to the servlet's parameters, which
     * include the query string, when the body is empty).
     */
    static Optional<Map<String, String>> singleValued(MultivaluedMap<String, String> form) {
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() != 1) return Optional.empty();
            fields.put(e.getKey(), e.getValue().get(0));
        }
        return Optional.of(fields);
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
