package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import be.idsvc.clientauth.TokenBindingCheck;
import be.idsvc.config.ServiceSettings;
import be.idsvc.store.FlowStore;
import be.idsvc.core.OAuthError;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.web.ClientCertificates;
import be.idsvc.web.JsonResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * The userinfo endpoint (mtls host, OIDC Core §5.3): a Bearer token in the Authorization header,
 * accepted only with the certificate it is bound to (RFC 8705 §3).
 */
@Singleton
@Path("/userinfo")
public final class UserinfoEndpoint {
    /** RFC 6750 §2.1: {@code "Bearer" 1*SP b64token}; the scheme name is case-insensitive (RFC 9110 §11.1). */
    private static final Pattern BEARER = Pattern.compile("(?i:Bearer) +([A-Za-z0-9\\-._~+/]+=*)");
    private final ServiceSettings settings;
    private final FlowStore store;
    private final TokenBindingCheck tokenBinding;
    private final Clock clock;

    @Inject
    public UserinfoEndpoint(ServiceSettings settings, FlowStore store, TokenBindingCheck tokenBinding, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.tokenBinding = tokenBinding;
        this.clock = clock;
    }

    @GET
    public Response get(@HeaderParam("Authorization") String authorization, @Context HttpServletRequest http) {
        return userinfo(authorization, http);
    }

    @POST
    public Response post(@HeaderParam("Authorization") String authorization, @Context HttpServletRequest http) {
        return userinfo(authorization, http);
    }

    private Response userinfo(String authorization, HttpServletRequest http) {
        // @HeaderParam sees the first of several headers; a second credential must not pass unseen (RFC 6750 §2)
        if (java.util.Collections.list(http.getHeaders("Authorization")).size() > 1) {
            return Response.fromResponse(JsonResponses.error(400, "invalid_request", "more than one Authorization header"))
                    .header("WWW-Authenticate", "Bearer error=\"invalid_request\"").build();
        }
        if (authorization == null) {
            // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
            return Response.fromResponse(JsonResponses.error(401, "invalid_token", "a Bearer access token is required"))
                    .header("WWW-Authenticate", "Bearer realm=\"" + settings.issuer() + "\"").build();
        }
        Matcher m = BEARER.matcher(authorization);
        if (authorization.length() > 4096 || !m.matches()) {
            return Response.fromResponse(JsonResponses.error(400, "invalid_request", "the Authorization header is not a Bearer token"))
                    .header("WWW-Authenticate", "Bearer error=\"invalid_request\"").build();
        }
        AccessTokenGrant grant = store.findAccessToken(m.group(1), clock.millis() / 1000)
                .orElseThrow(() -> OAuthError.invalidToken("the access token is unknown, expired or revoked"));
        // Removing a pin, or revoking a CA-issued certificate, ends it for the tokens it already obtained too.
        tokenBinding.requireHolder(grant.clientId(), grant.certificateThumbprint(), ClientCertificates.of(http));
        return JsonResponses.json(200, grant.claims());
    }
}
