package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;

import be.idsvc.clientauth.ClientAuthenticator;
import be.idsvc.token.AuthorizationCodeGrant;
import be.idsvc.clientauth.ClientAuthenticator.AuthenticatedClient;
import be.idsvc.core.OAuthError;
import be.idsvc.token.TokenRequest;
import be.idsvc.web.ClientCertificates;
import be.idsvc.web.JsonResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/** The token endpoint (mtls host): client authenticated by certificate, then the code grant. */
@Singleton
@Path("/token")
public final class TokenEndpoint {
    private final ClientAuthenticator clientAuthenticator;
    private final AuthorizationCodeGrant codeGrant;
    private final Clock clock;

    @Inject
    public TokenEndpoint(ClientAuthenticator clientAuthenticator, AuthorizationCodeGrant codeGrant, Clock clock) {
        this.clientAuthenticator = clientAuthenticator;
        this.codeGrant = codeGrant;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response token(MultivaluedMap<String, String> form, @Context HttpServletRequest http) {
        TokenRequest request = TokenRequest.from(form);
        AuthenticatedClient client = clientAuthenticator.authenticate(request.clientId(), ClientCertificates.of(http));
        if (request.grantType() == null) throw OAuthError.invalidRequest("grant_type is missing");
        if (!request.grantType().equals("authorization_code")) {
            throw new OAuthError("unsupported_grant_type", "only authorization_code is supported", 400);
        }
        return JsonResponses.json(200, codeGrant.exchange(request, client, clock.millis() / 1000));
    }
}
