package be.idsvc.oidc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import be.idsvc.store.FlowStore.Flow;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** What the identification and consent pages share: finding the flow of this browser. */
final class FlowPages {
    private FlowPages() {}

    static Optional<Flow> find(ServiceComponents c, String ref, String cookie) {
        String secret = BrowserBinding.secretFrom(cookie);
        if (secret == null || !BrowserBinding.isWellFormedRef(ref)) return Optional.empty();
        return c.store.findFlow(ref, secret, c.now());
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

    static Response csrfRefused(Messages m) {
        return Pages.errorPage(403, m, "error.csrf.title", "error.csrf.text");
    }
}
