package be.idsvc.oidc;

import be.idsvc.core.Flow;
import be.idsvc.web.Messages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.core.Response;

/**
 * The person declines: the flow ends and the client hears {@code access_denied} with its state.
 * The decision is recorded (a tombstone until the ticket expires), so the same ticket cannot be
 * identified or decided again.
 */
final class Cancel {
    private Cancel() {}

    static Response flow(ServiceComponents c, Flow flow, Messages m) {
        if (!c.store.decideFlow(flow.id(), false, flow.expiresAt(), c.now())) return FlowPages.flowNotFound(m);
        return AuthorizationResponses.error(flow.request().redirectUri(), "access_denied",
                "the person declined", flow.request().state(), c.settings.issuer());
    }
}
