package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;
import java.util.Map;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.AuthorizationError;
import be.idsvc.identify.BrowserBinding;
import be.idsvc.identify.BrowserFlow;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The authorization endpoint (public host, GET and POST per OIDC Core §3.1.2.1). A valid request
 * starts a flow bound to this browser (a sealed ticket; the store is not written) and sends the
 * person to identify; an invalid one is either
 * shown (client or redirect URI untrusted) or returned to the client.
 */
@Singleton
@Path("/authorize")
public final class AuthorizeEndpoint {
    private final BrowserFlow flows;
    private final ServiceSettings settings;

    @Inject
    public AuthorizeEndpoint(BrowserFlow flows, ServiceSettings settings) {
        this.flows = flows;
        this.settings = settings;
    }

    @GET
    public Response get(@Context UriInfo uri, @CookieParam(BrowserBinding.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage) {
        return handle(uri.getQueryParameters(), cookie, acceptLanguage);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(MultivaluedMap<String, String> form, @CookieParam(BrowserBinding.COOKIE) String cookie,
            @HeaderParam("Accept-Language") String acceptLanguage) {
        return handle(form, cookie, acceptLanguage);
    }

    /** A request refused before any flow exists: its ui_locales if it has one, else the browser's language. */
    private static Messages messages(Map<String, List<String>> params, String acceptLanguage) {
        List<String> ui = params.get("ui_locales");
        // a bare "ui_locales" (no '=') arrives as a null value
        String first = ui == null || ui.size() != 1 || ui.get(0) == null || ui.get(0).length() > 200 ? null : ui.get(0);
        return Messages.choose(null, first == null ? null : List.of(first.trim().split(" +")), acceptLanguage);
    }

    private Response handle(Map<String, List<String>> params, String cookie, String acceptLanguage) {
        BrowserFlow.Started started;
        try {
            started = flows.start(params, BrowserBinding.secretFrom(cookie));
        } catch (AuthorizationError e) {
            if (e.redirectUri() == null) {
                return Pages.errorPage(400, messages(params, acceptLanguage), "error.authorize.title", "error.authorize.text",
                        e.code() + ": " + e.description());
            }
            return AuthorizationResponses.error(e.redirectUri(), e.code(), e.description(), e.state(), settings.issuer());
        }
        if (started.unavailable()) {
            return AuthorizationResponses.error(started.request().redirectUri(), "temporarily_unavailable",
                    "no identification method is enabled", started.request().state(), settings.issuer());
        }
        return Response.seeOther(URI.create(settings.publicEndpoint("/identify?flow=" + started.ticket())))
                .header("Set-Cookie", BrowserBinding.setCookieHeader(started.browserSecret()))
                .header("Cache-Control", "no-store").build();
    }
}
