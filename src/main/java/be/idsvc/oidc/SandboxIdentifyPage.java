package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import be.idsvc.core.Flow;
import be.idsvc.config.ConfigurationException;
import be.idsvc.identify.ReadoutIdentification;
import be.idsvc.identify.SandboxCards;
import be.idsvc.web.Html;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The identification page. With {@code eid.sandbox_virtual_cards=true} it is a visibly marked test
 * page where the person picks a virtual test card; otherwise it sends the person to the card
 * readout page. Form contract (tests and integrators rely on it): {@code <select name="person">},
 * submit button {@code id="identify"}, cancel button {@code id="cancel"}, hidden {@code flow} and
 * {@code csrf}.
 *
 * <p>A picked card is not taken on trust: the server asks it to sign a fresh challenge of the flow
 * with its authentication key and runs the same {@link ReadoutIdentification} (and so the same
 * verifier) as for a real card.
 */
@Singleton
@Path("/identify")
public final class SandboxIdentifyPage {
    private static final Logger LOG = Logger.getLogger(SandboxIdentifyPage.class.getName());
    private final ServiceComponents c;

    @Inject
    public SandboxIdentifyPage(ServiceComponents c) {
        this.c = c;
    }

    @GET
    public Response show(@QueryParam("flow") String ref, @QueryParam("lang") String lang,
            @HeaderParam("Accept-Language") String acceptLanguage, @CookieParam(BrowserBinding.COOKIE) String cookie,
            @Context UriInfo uri) {
        if (FlowPages.anyRepeated(uri)) return FlowPages.duplicateField(acceptLanguage);
        FlowPages.Found flow = FlowPages.find(c, ref, cookie);
        if (flow.isEmpty()) return flow.refusal(FlowPages.messages(lang, acceptLanguage));
        Messages m = FlowPages.messages(flow.get(), lang, acceptLanguage);
        if (c.sandboxCards == null) {
            return Response.seeOther(URI.create(c.settings.publicEndpoint("/readout?flow=" + ref + "&lang=" + m.lang())))
                    .header("Cache-Control", "no-store").build();
        }
        String csrf = FlowPages.csrf(flow.get(), cookie);
        StringBuilder b = new StringBuilder();
        b.append(m.switcher("/identify?flow=" + ref));
        String client = c.clients.find(flow.get().request().clientId()).map(x -> x.name()).orElse("?");
        b.append("<p>").append(Html.esc(m.get("identify.asks", client))).append("</p>\n")
                .append("<h2>").append(Html.esc(m.get("identify.sandbox.heading"))).append(" (TEST)</h2>\n")
                .append("<form id=\"sandbox\" method=\"post\" action=\"/identify\">\n")
                .append("<input type=\"hidden\" name=\"flow\" value=\"").append(Html.esc(ref)).append("\">\n")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.esc(csrf)).append("\">\n")
                .append("<input type=\"hidden\" name=\"lang\" value=\"").append(m.lang()).append("\">\n")
                .append("<label for=\"person\">").append(Html.esc(m.get("identify.sandbox.person"))).append("</label>\n")
                .append("<select id=\"person\" name=\"person\" required>\n");
        for (SandboxCards.Listed card : c.sandboxCards.all()) {
            b.append("<option value=\"").append(Html.esc(card.id())).append("\">")
                    .append(Html.esc(m.get("identify.sandbox.option", card.label()))).append("</option>\n");
        }
        b.append("</select>\n<div class=\"actions\">\n")
                .append("<button type=\"submit\" id=\"identify\" name=\"action\" value=\"identify\">")
                .append(Html.esc(m.get("identify.sandbox.submit"))).append("</button>\n")
                .append("<button type=\"submit\" id=\"cancel\" name=\"action\" value=\"cancel\" class=\"secondary\" formnovalidate>")
                .append(Html.esc(m.get("identify.cancel"))).append("</button>\n")
                .append("</div>\n</form>\n");
        if (c.eid.verifier().isPresent()) {
            b.append("<p><a id=\"readout-link\" href=\"").append(Html.esc("/readout?flow=" + ref + "&lang=" + m.lang())).append("\">")
                    .append(Html.esc(m.get("identify.card.link"))).append("</a></p>\n");
        }
        return Pages.page(200, Pages.frame(m, m.get("identify.title"), true, b.toString()), Pages.csp(origin(flow.get())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(MultivaluedMap<String, String> form, @HeaderParam("Accept-Language") String acceptLanguage,
            @CookieParam(BrowserBinding.COOKIE) String cookie) {
        Optional<Map<String, String>> posted = FlowPages.singleValued(form);
        if (posted.isEmpty()) return FlowPages.duplicateField(acceptLanguage);
        String ref = posted.get().get("flow");
        String csrf = posted.get().get("csrf");
        String action = posted.get().get("action");
        String personId = posted.get().get("person");
        String lang = posted.get().get("lang");
        FlowPages.Found flow = FlowPages.find(c, ref, cookie);
        if (flow.isEmpty()) return flow.refusal(FlowPages.messages(lang, acceptLanguage));
        String secret = BrowserBinding.secretFrom(cookie);
        Messages m = FlowPages.messages(flow.get(), lang, acceptLanguage);
        if (!FlowPages.csrfValid(flow.get(), cookie, csrf)) return FlowPages.csrfRefused(m);
        if ("cancel".equals(action)) return Cancel.flow(c, flow.get(), m);
        if (c.sandboxCards == null) {
            LOG.warning("a virtual test card was posted to a home without eid.sandbox_virtual_cards=true: refused");
            return Pages.errorPage(400, m, "error.test_cards.title", "error.test_cards.text");
        }
        Optional<SandboxCards.Card> card;
        try {
            card = c.sandboxCards.find(personId);
        } catch (ConfigurationException e) {
            LOG.warning(e.getMessage());
            card = Optional.empty();
        }
        if (card.isEmpty()) return Pages.errorPage(400, m, "error.unknown_test_card.title", "error.unknown_test_card.text");

        // the card signs a fresh challenge of this flow, as a real card does after the PIN
        long now = c.now();
        String challenge = c.challenges.issue(flow.get().id(), now);
        Map<String, String> fields;
        try {
            fields = card.get().readout().withAuthSignature(card.get().signChallenge(Base64.getUrlDecoder().decode(challenge))).toFields();
        } catch (be.idsvc.eid.ReadoutRejected | ConfigurationException e) {
            LOG.warning("sandbox card " + card.get().id() + " cannot sign: " + e.getMessage());
            return Pages.errorPage(400, m, "readout.refused.title", "readout.refused.test_card");
        }
        fields.put("challenge", challenge);
        ReadoutIdentification.Outcome outcome = new ReadoutIdentification(c.eid, c.challenges).identify(flow.get().id(), fields, false, true, now);
        if (outcome.kind() != ReadoutIdentification.Kind.IDENTIFIED) {
            LOG.warning("sandbox card " + card.get().id() + " refused: " + outcome.kind() + " " + outcome.reason());
            return Pages.page(400, Pages.frame(m, m.get("readout.refused.title"), true,
                    "<p class=\"error\" id=\"error\">" + Html.esc(m.get("readout.refused.test_card")) + "</p>\n"), Pages.csp(null));
        }
        if (!c.store.attachIdentity(flow.get().id(), secret, outcome.identity(), flow.get().expiresAt(), now)) {
            return FlowPages.flowNotFound(m);
        }
        return Response.seeOther(URI.create(c.settings.publicEndpoint("/consent?flow=" + ref + "&lang=" + m.lang())))
                .header("Cache-Control", "no-store").build();
    }

    static String origin(Flow flow) {
        URI u = URI.create(flow.request().redirectUri());
        return u.getScheme() + "://" + u.getRawAuthority();
    }
}
