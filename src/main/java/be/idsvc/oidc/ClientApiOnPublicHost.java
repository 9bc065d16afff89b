package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import be.idsvc.config.ServiceSettings;
import be.idsvc.web.JsonResponses;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * On the public host, every client API answers with an OAuth error naming the mtls host, whoever
 * calls: no request body is read and nothing is looked up.
 */
@Singleton
@Path("/{endpoint: token|userinfo|introspect|revoke|par|\\.well-known/openid-configuration}")
public final class ClientApiOnPublicHost {
    private final ServiceSettings settings;

    @Inject
    public ClientApiOnPublicHost(ServiceSettings settings) {
        this.settings = settings;
    }

    @GET
    public Response get(@PathParam("endpoint") String endpoint) {
        return refuse(endpoint);
    }

    @POST
    public Response post(@PathParam("endpoint") String endpoint) {
        return refuse(endpoint);
    }

    @PUT
    public Response put(@PathParam("endpoint") String endpoint) {
        return refuse(endpoint);
    }

    @DELETE
    public Response delete(@PathParam("endpoint") String endpoint) {
        return refuse(endpoint);
    }

    private Response refuse(String endpoint) {
        String there = settings.mtlsEndpoint("/" + endpoint);
        return JsonResponses.error(400, "invalid_request",
                "client applications call this endpoint only over mutual TLS at " + there);
    }
}
