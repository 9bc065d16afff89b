package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.AcrValues;
import be.idsvc.core.ClaimRelease;
import be.idsvc.core.Client;
import be.idsvc.core.Flow;
import be.idsvc.core.Identity;
import be.idsvc.identify.BrowserBinding;
import be.idsvc.identify.BrowserFlow;
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
 * The consent page: lists exactly the claims the client will receive, with their values. Approve
 * ({@code id="approve"}) issues the code; deny ({@code id="deny"}) returns {@code access_denied}.
 * The decision is taken once: recording it in the store (a tombstone until the ticket expires) is
 * what decides it.
 */
@Singleton
@Path("/consent")
public final class ConsentPage {
    private final BrowserFlow flows;
    private final ServiceSettings settings;

    @Inject
    public ConsentPage(BrowserFlow flows, ServiceSettings settings) {
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
        if (flow.identity() == null) {
            return Response.seeOther(URI.create(settings.publicEndpoint("/identify?flow=" + ref))).build();
        }
        Messages m = shown.messages();
        Optional<Client> client = flows.client(flow);
        if (client.isEmpty()) return FlowPages.flowNotFound(m);
        Identity id = flow.identity();
        Map<String, Object> released = ClaimRelease.release(id, flow.request().scopes(), null);
        String csrf = FlowPages.csrf(flows, flow, cookie);
        StringBuilder b = new StringBuilder();
        b.append(m.switcher("/consent?flow=" + ref));
        b.append("<p>").append(Html.esc(m.get("consent.intro", client.get().name()))).append("</p>\n<dl id=\"claims\">\n");
        b.append(ConsentClaims.row("sub", m.get("consent.sub"), m));
        for (Map.Entry<String, Object> e : released.entrySet()) {
            if (ConsentClaims.isTechnical(e.getKey())) continue;
            b.append(ConsentClaims.row(e.getKey(), e.getValue(), m));
        }
        b.append("</dl>\n<form id=\"consent\" method=\"post\" action=\"/consent\">\n")
                .append(FlowPages.hiddenFields(ref, csrf))
                .append("<div class=\"actions\">\n")
                .append("<button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">")
                .append(Html.esc(m.get("consent.approve"))).append("</button>\n")
                .append("<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\" class=\"secondary\">")
                .append(Html.esc(m.get("consent.deny"))).append("</button>\n")
                .append("</div>\n</form>\n");
        boolean test = AcrValues.SANDBOX_TEST.equals(id.acr());
        return Pages.page(200, Pages.frame(m, m.get("consent.title"), test, b.toString()),
                Pages.csp(FlowPages.redirectOrigin(flow)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(MultivaluedMap<String, String> form, @HeaderParam("Accept-Language") String acceptLanguage,
            @CookieParam(BrowserBinding.COOKIE) String cookie) {
        FlowPages.Posted posted = FlowPages.posted(flows, form, acceptLanguage, cookie);
        if (posted.refused()) return posted.refusal();
        Flow flow = posted.flow();
        Messages m = posted.messages();
        String decision = posted.field("decision");
        if ("deny".equals(decision)) return FlowPages.cancelled(flows, settings, flow, m);
        BrowserFlow.Approval approval = "approve".equals(decision) ? flows.approve(flow) : null;
        if (approval == null || approval.status() == BrowserFlow.Approval.Status.NOT_IDENTIFIED) {
            return Pages.errorPage(400, m, "error.request.title", "error.request.consent_buttons");
        }
        if (approval.status() == BrowserFlow.Approval.Status.FLOW_ENDED) return FlowPages.flowNotFound(m);
        return AuthorizationResponses.success(flow.request().redirectUri(), approval.code(), flow.request().state(), settings.issuer());
    }
}
