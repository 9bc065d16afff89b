package be.idsvc.oidc;

import java.util.Optional;

import be.idsvc.store.FlowStore.Flow;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.core.Response;

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

    static Response flowNotFound() {
        return Pages.errorPage(400, "This sign-in is no longer valid",
                "It has expired, was already completed, or was started in another browser."
                        + " Please return to the application and start again.");
    }

    static Response csrfRefused() {
        return Pages.errorPage(403, "Request refused",
                "This form was not sent from this service's own page. Please return to the application and start again.");
    }
}
