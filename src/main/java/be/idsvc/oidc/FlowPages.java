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

    /** Without a flow: the language picked on the page, else the browser's. */
    static Messages messages(String picked, String acceptLanguage) {
        return Messages.choose(picked, null, acceptLanguage);
    }

    static Response flowNotFound(Messages m) {
        return Pages.errorPage(400, m, "error.flow.title", "error.flow.text");
    }

    static Response csrfRefused(Messages m) {
        return Pages.errorPage(403, m, "error.csrf.title", "error.csrf.text");
    }
}
