package be.idsvc.oidc;

import java.util.Map;
import java.util.logging.Logger;

import be.idsvc.clientauth.ClientAuthenticator;
import be.idsvc.store.FlowStore;
import be.idsvc.clientauth.ClientAuthenticator.AuthenticatedClient;
import be.idsvc.core.OAuthError;
import be.idsvc.web.ClientCertificates;
import be.idsvc.web.JsonResponses;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Token revocation (RFC 7009, mtls host). A client revokes only its own tokens; for any other
 * token (unknown, expired, another client's) the answer is the same 200, so the endpoint cannot be
 * used to learn which tokens exist.
 */
@Singleton
@Path("/revoke")
public final class RevocationEndpoint {
    private static final Logger LOG = Logger.getLogger(RevocationEndpoint.class.getName());
    private final ClientAuthenticator clientAuthenticator;
    private final FlowStore store;

    @Inject
    public RevocationEndpoint(ClientAuthenticator clientAuthenticator, FlowStore store) {
        this.clientAuthenticator = clientAuthenticator;
        this.store = store;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(MultivaluedMap<String, String> form, @Context HttpServletRequest http) {
        ClientTokenRequest request = ClientTokenRequest.from(form);
        AuthenticatedClient client = clientAuthenticator.authenticate(request.clientId(), ClientCertificates.of(http));
        if (request.token() == null) throw OAuthError.invalidRequest("token is missing");
        if (store.revokeAccessToken(request.token(), client.client().clientId())) {
            LOG.info(() -> "access token revoked by its client " + client.client().clientId());
        }
        return JsonResponses.json(200, Map.of());
    }
}
