package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import be.idsvc.config.ServiceSettings;
import be.idsvc.web.JsonResponses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/**
 * OpenID Provider metadata (OIDC Discovery §3, RFC 8414, RFC 8705 §5) on the mtls host. The
 * issuer is the mtls base URL; the authorization endpoint lives on the public host.
 */
@Singleton
@Path("/.well-known/openid-configuration")
public final class DiscoveryEndpoint {
    private final ProviderMetadata metadata;

    @Inject
    public DiscoveryEndpoint(ServiceSettings settings) {
        this.metadata = ProviderMetadata.of(settings);
    }

    @GET
    public Response get() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return Response.ok(metadata, JsonResponses.JSON).cacheControl(cc).build();
    }
}
