package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

import be.idsvc.web.JsonResponses;
import be.idsvc.web.ServiceComponents;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Liveness for load balancers and start-up scripts: which role answers. */
@Singleton
@Path("/health")
public final class HealthEndpoint {
    private final ServiceComponents c;

    @Inject
    public HealthEndpoint(ServiceComponents c) {
        this.c = c;
    }

    @GET
    public Response get() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("role", c.role.name().toLowerCase());
        return JsonResponses.json(200, m);
    }
}
