package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import be.idsvc.core.Flow;
import be.idsvc.core.ClaimRelease;
import be.idsvc.core.Client;
import be.idsvc.core.Identity;
import be.idsvc.core.CodeGrant;
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
 * The consent page: lists exactly the claims the client will receive, with their values. Approve
 * ({@code id="approve"}) issues the code; deny ({@code id="deny"}) returns {@code access_denied}.
 * The decision is taken once: recording it in the store (a tombstone until the ticket expires) is
 * what decides it.
 */
@Singleton
@Path("/consent")
public final class ConsentPage {
    private final ServiceComponents c;

    @Inject
    public ConsentPage(ServiceComponents c) {
        this.c = c;
    }

    @GET
    public Response show(@QueryParam("flow") String ref, @QueryParam("lang") String lang,
            @HeaderParam("Accept-Language") String acceptLanguage, @CookieParam(BrowserBinding.COOKIE) String cookie,
            @Context UriInfo uri) {
        if (FlowPages.anyRepeated(uri)) return FlowPages.duplicateField(acceptLanguage);
        FlowPages.Found found = FlowPages.find(c, ref, cookie);
        if (found.isEmpty()) return found.refusal(FlowPages.messages(lang, acceptLanguage));
        Flow flow = found.get();
        if (flow.identity() == null) {
            return Response.seeOther(URI.create(c.settings.publicEndpoint("/identify?flow=" + ref))).build();
        }
        Optional<Client> client = c.clients.find(flow.request().clientId());
        if (client.isEmpty()) return FlowPages.flowNotFound(FlowPages.messages(flow, lang, acceptLanguage));
        Identity id = flow.identity();
        Map<String, Object> released = ClaimRelease.release(id, flow.request().scopes(), null);
        String csrf = FlowPages.csrf(flow, cookie);
        Messages m = FlowPages.messages(flow, lang, acceptLanguage);
        StringBuilder b = new StringBuilder();
        b.append(m.switcher("/consent?flow=" + ref));
        b.append("<p>").append(Html.esc(m.get("consent.intro", client.get().name()))).append("</p>\n<dl id=\"claims\">\n");
        b.append(ConsentClaims.row("sub", m.get("consent.sub"), m));
        for (Map.Entry<String, Object> e : released.entrySet()) {
            if (ConsentClaims.isTechnical(e.getKey())) continue;
            b.append(ConsentClaims.row(e.getKey(), e.getValue(), m));
        }
        b.append("</dl>\n<form id=\"consent\" method=\"post\" action=\"/consent\">\n")
                .append("<input type=\"hidden\" name=\"flow\" value=\"").append(Html.esc(ref)).append("\">\n")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.esc(csrf)).append("\">\n")
                .append("<div class=\"actions\">\n")
                .append("<button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">")
                .append(Html.esc(m.get("consent.approve"))).append("</button>\n")
                .append("<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\" class=\"secondary\">")
                .append(Html.esc(m.get("consent.deny"))).append("</button>\n")
                .append("</div>\n</form>\n");
        boolean test = id.acr().contains("sandbox");
        return Pages.page(200, Pages.frame(m, m.get("consent.title"), test, b.toString()),
                Pages.csp(SandboxIdentifyPage.origin(flow)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(MultivaluedMap<String, String> form, @HeaderParam("Accept-Language") String acceptLanguage,
            @CookieParam(BrowserBinding.COOKIE) String cookie) {
        Optional<Map<String, String>> fields = FlowPages.singleValued(form);
        if (fields.isEmpty()) return FlowPages.duplicateField(acceptLanguage);
        String ref = fields.get().get("flow");
        String csrf = fields.get().get("csrf");
        String decision = fields.get().get("decision");
        String lang = fields.get().get("lang");
        FlowPages.Found found = FlowPages.find(c, ref, cookie);
        if (found.isEmpty()) return found.refusal(FlowPages.messages(lang, acceptLanguage));
        Flow flow = found.get();
        Messages m = FlowPages.messages(flow, lang, acceptLanguage);
        if (!FlowPages.csrfValid(flow, cookie, csrf)) return FlowPages.csrfRefused(m);
        if ("deny".equals(decision)) return Cancel.flow(c, flow, m);
        if (!"approve".equals(decision) || flow.identity() == null) {
            return Pages.errorPage(400, m, "error.request.title", "error.request.consent_buttons");
        }
        // the decision is recorded first: of two approvals of one flow, one gets a code
        if (!c.store.decideFlow(flow.id(), true, flow.expiresAt(), c.now())) return FlowPages.flowNotFound(m);
        var r = flow.request();
        String code = c.store.issueCode(new CodeGrant(r.clientId(), r.redirectUri(), r.codeChallenge(), r.nonce(), r.scopes(),
                flow.identity()), c.now() + c.settings.codeTtlSeconds());
        return AuthorizationResponses.success(r.redirectUri(), code, r.state(), c.settings.issuer());
    }
}
