package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;
import java.util.Map;

import be.idsvc.core.AuthorizationError;
import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Secrets;
import be.idsvc.web.Pages;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The authorization endpoint (public host, GET and POST per OIDC Core §3.1.2.1). A valid request
 * starts a flow bound to this browser and sends the person to identify; an invalid one is either
 * shown (client or redirect URI untrusted) or returned to the client.
 */
@Singleton
@Path("/authorize")
public final class AuthorizeEndpoint {
    private final ServiceComponents c;

    @Inject
    public AuthorizeEndpoint(ServiceComponents c) {
        this.c = c;
    }

    @GET
    public Response get(@Context UriInfo uri, @CookieParam(BrowserBinding.COOKIE) String cookie) {
        return handle(uri.getQueryParameters(), cookie);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(MultivaluedMap<String, String> form, @CookieParam(BrowserBinding.COOKIE) String cookie) {
        return handle(form, cookie);
    }

    private Response handle(Map<String, List<String>> params, String cookie) {
        AuthorizationRequest request;
        try {
            request = c.authorizationRequests.validate(params);
        } catch (AuthorizationError e) {
            if (e.redirectUri() == null) {
                return Pages.errorPage(400, "This sign-in request is not valid",
                        "The application sent a request this service cannot accept (" + e.code() + ": " + e.description()
                                + "). Please return to the application.");
            }
            return AuthorizationResponses.error(e.redirectUri(), e.code(), e.description(), e.state(), c.settings.issuer());
        }
        if (!c.canIdentify()) {
            return AuthorizationResponses.error(request.redirectUri(), "temporarily_unavailable",
                    "no identification method is enabled", request.state(), c.settings.issuer());
        }
        String secret = BrowserBinding.secretFrom(cookie);
        if (secret == null) secret = Secrets.newHandle();
        String ref = c.store.createFlow(request, secret, c.now() + c.settings.flowTtlSeconds());
        return Response.seeOther(URI.create(c.settings.publicEndpoint("/identify?flow=" + ref)))
                .header("Set-Cookie", BrowserBinding.setCookieHeader(secret))
                .header("Cache-Control", "no-store").build();
    }
}
