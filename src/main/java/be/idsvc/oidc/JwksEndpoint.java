package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import be.idsvc.config.SigningKeys;
import be.idsvc.web.JsonResponses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/** The public signing keys (both hosts), each with its kid. */
@Singleton
@Path("/jwks")
public final class JwksEndpoint {
    private final SigningKeys signingKeys;

    @Inject
    public JwksEndpoint(SigningKeys signingKeys) {
        this.signingKeys = signingKeys;
    }

    @GET
    public Response get() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return Response.ok(signingKeys.publicJwksJson(), JsonResponses.JSON).cacheControl(cc).build();
    }
}
