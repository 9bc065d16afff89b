package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.Flow;
import be.idsvc.identify.BrowserBinding;
import be.idsvc.identify.BrowserFlow;
import be.idsvc.identify.ReadoutIdentification;
import be.idsvc.identify.SandboxCards;
import be.idsvc.web.Html;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
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
    private final BrowserFlow flows;
    private final ServiceSettings settings;

    @Inject
    public SandboxIdentifyPage(BrowserFlow flows, ServiceSettings settings) {
        this.flows = flows;
        this.settings = settings;
    }

    @GET
    public Response show(@QueryParam("flow") String ref, @QueryParam("lang") String lang,
            @HeaderParam("Accept-Language") String acceptLanguage, @CookieParam(BrowserBinding.COOKIE) String cookie,
            @Context UriInfo uri) {
        FlowPages.Shown shown = FlowPages.shown(flows, uri, ref, lang, acceptLanguage, cookie);
        if (shown.refused()) return shown.refusal();
        Flow flow = shown.flow();
        Messages m = shown.messages();
        Optional<List<SandboxCards.Listed>> cards = flows.sandboxCards();
        if (cards.isEmpty()) return FlowPages.next(settings, "/readout", ref, m);
        String csrf = FlowPages.csrf(flows, flow, cookie);
        StringBuilder b = new StringBuilder();
        b.append(m.switcher("/identify?flow=" + ref));
        String client = flows.client(flow).map(x -> x.name()).orElse("?");
        b.append("<p>").append(Html.esc(m.get("identify.asks", client))).append("</p>\n")
                .append("<h2>").append(Html.esc(m.get("identify.sandbox.heading"))).append(" (TEST)</h2>\n")
                .append("<form id=\"sandbox\" method=\"post\" action=\"/identify\">\n")
                .append(FlowPages.hiddenFields(ref, csrf, "lang", m.lang()))
                .append("<label for=\"person\">").append(Html.esc(m.get("identify.sandbox.person"))).append("</label>\n")
                .append("<select id=\"person\" name=\"person\" required>\n");
        for (SandboxCards.Listed card : cards.get()) {
            b.append("<option value=\"").append(Html.esc(card.id())).append("\">")
                    .append(Html.esc(m.get("identify.sandbox.option", card.label()))).append("</option>\n");
        }
        b.append("</select>\n<div class=\"actions\">\n")
                .append("<button type=\"submit\" id=\"identify\" name=\"action\" value=\"identify\">")
                .append(Html.esc(m.get("identify.sandbox.submit"))).append("</button>\n")
                .append("<button type=\"submit\" id=\"cancel\" name=\"action\" value=\"cancel\" class=\"secondary\" formnovalidate>")
                .append(Html.esc(m.get("identify.cancel"))).append("</button>\n")
                .append("</div>\n</form>\n");
        if (flows.readoutAvailable()) {
            b.append("<p><a id=\"readout-link\" href=\"").append(Html.esc("/readout?flow=" + ref + "&lang=" + m.lang())).append("\">")
                    .append(Html.esc(m.get("identify.card.link"))).append("</a></p>\n");
        }
        return Pages.page(200, Pages.frame(m, m.get("identify.title"), true, b.toString()), Pages.csp(FlowPages.redirectOrigin(flow)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(MultivaluedMap<String, String> form, @HeaderParam("Accept-Language") String acceptLanguage,
            @CookieParam(BrowserBinding.COOKIE) String cookie) {
        FlowPages.Posted posted = FlowPages.posted(flows, form, acceptLanguage, cookie);
        if (posted.refused()) return posted.refusal();
        Flow flow = posted.flow();
        Messages m = posted.messages();
        if ("cancel".equals(posted.field("action"))) return FlowPages.cancelled(flows, settings, flow, m);
        return switch (flows.identifyBySandboxCard(flow, posted.browserSecret(), posted.field("person"))) {
            case IDENTIFIED -> FlowPages.toConsent(settings, posted.field("flow"), m);
            case NOT_OFFERED -> Pages.errorPage(400, m, "error.test_cards.title", "error.test_cards.text");
            case UNKNOWN_CARD -> Pages.errorPage(400, m, "error.unknown_test_card.title", "error.unknown_test_card.text");
            case CANNOT_SIGN -> Pages.errorPage(400, m, "readout.refused.title", "readout.refused.test_card");
            case REFUSED -> Pages.page(400, Pages.frame(m, m.get("readout.refused.title"), true,
                    "<p class=\"error\" id=\"error\">" + Html.esc(m.get("readout.refused.test_card")) + "</p>\n"), Pages.csp(null));
            case FLOW_ENDED -> FlowPages.flowNotFound(m);
        };
    }
}
