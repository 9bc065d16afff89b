package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Optional;

import be.idsvc.identify.SandboxPerson;
import be.idsvc.store.FlowStore.Flow;
import be.idsvc.web.Html;
import be.idsvc.web.Pages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The sandbox identification page: a visibly marked test page where the person picks a configured
 * test person. Form contract (tests and integrators rely on it): {@code <select name="person">},
 * submit button {@code id="identify"}, cancel button {@code id="cancel"}.
 */
@Singleton
@Path("/identify")
public final class SandboxIdentifyPage {
    private final ServiceComponents c;

    @Inject
    public SandboxIdentifyPage(ServiceComponents c) {
        this.c = c;
    }

    @GET
    public Response show(@QueryParam("flow") String ref, @CookieParam(BrowserBinding.COOKIE) String cookie) {
        Optional<Flow> flow = FlowPages.find(c, ref, cookie);
        if (flow.isEmpty() || c.sandbox == null) return FlowPages.flowNotFound();
        String csrf = BrowserBinding.csrfToken(BrowserBinding.secretFrom(cookie), ref);
        StringBuilder b = new StringBuilder();
        String client = c.clients.find(flow.get().request().clientId()).map(x -> x.name()).orElse("the application");
        b.append("<p><strong>").append(Html.esc(client)).append("</strong> asks you to identify.</p>\n")
                .append("<form id=\"sandbox\" method=\"post\" action=\"/identify\">\n")
                .append("<input type=\"hidden\" name=\"flow\" value=\"").append(Html.esc(ref)).append("\">\n")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.esc(csrf)).append("\">\n")
                .append("<label for=\"person\">Test person</label>\n<select id=\"person\" name=\"person\" required>\n");
        for (SandboxPerson p : c.sandbox.all()) {
            b.append("<option value=\"").append(Html.esc(p.id())).append("\">").append(Html.esc(p.label())).append("</option>\n");
        }
        b.append("</select>\n<div class=\"actions\">\n")
                .append("<button type=\"submit\" id=\"identify\" name=\"action\" value=\"identify\">Identify as this test person</button>\n")
                .append("<button type=\"submit\" id=\"cancel\" name=\"action\" value=\"cancel\" class=\"secondary\" formnovalidate>Cancel</button>\n")
                .append("</div>\n</form>\n");
        return Pages.page(200, Pages.frame("en", "Identify (sandbox)", true, b.toString()), Pages.csp(origin(flow.get())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@FormParam("flow") String ref, @FormParam("csrf") String csrf, @FormParam("action") String action,
            @FormParam("person") String personId, @CookieParam(BrowserBinding.COOKIE) String cookie) {
        Optional<Flow> flow = FlowPages.find(c, ref, cookie);
        if (flow.isEmpty() || c.sandbox == null) return FlowPages.flowNotFound();
        String secret = BrowserBinding.secretFrom(cookie);
        if (!BrowserBinding.csrfValid(secret, ref, csrf)) return FlowPages.csrfRefused();
        if ("cancel".equals(action)) return Cancel.flow(c, flow.get());
        Optional<SandboxPerson> person = c.sandbox.find(personId);
        if (person.isEmpty()) return Pages.errorPage(400, "Unknown test person", "Please go back and choose a test person from the list.");
        if (!c.store.attachIdentity(ref, secret, c.sandbox.identify(person.get(), c.now()), c.now())) return FlowPages.flowNotFound();
        return Response.seeOther(URI.create(c.settings.publicEndpoint("/consent?flow=" + ref))).header("Cache-Control", "no-store").build();
    }

    static String origin(Flow flow) {
        URI u = URI.create(flow.request().redirectUri());
        return u.getScheme() + "://" + u.getRawAuthority();
    }
}
