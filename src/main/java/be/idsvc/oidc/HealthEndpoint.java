package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import be.idsvc.config.DeploymentRole;
import be.idsvc.store.StoreProbe;
import be.idsvc.store.StoreUnavailableException;
import be.idsvc.web.JsonResponses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Liveness ({@code /health}: the deployment runs, which role it has; touches nothing) and readiness
 * ({@code /health/ready}: the store takes a committed write now). Liveness stays 200 while the store
 * is down, so a load balancer that checks it keeps sending requests that are answered 503 with
 * Retry-After rather than its own error; readiness is for monitoring and orchestrators.
 */
@Singleton
@Path("/health")
public final class HealthEndpoint {
    private static final Logger LOG = Logger.getLogger(HealthEndpoint.class.getName());
    private final DeploymentRole role;
    private final StoreProbe storeProbe;
    private final Clock clock;
    /** The last readiness seen, so that the log shows each change once, not every poll. */
    private final AtomicBoolean storeUp = new AtomicBoolean(true);

    @Inject
    public HealthEndpoint(DeploymentRole role, StoreProbe storeProbe, Clock clock) {
        this.role = role;
        this.storeProbe = storeProbe;
        this.clock = clock;
    }

    @GET
    public Response get() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("role", role.name().toLowerCase());
        return JsonResponses.json(200, m);
    }

    @GET
    @Path("ready")
    public Response ready() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            storeProbe.write(clock.millis() / 1000);
            if (!storeUp.getAndSet(true)) LOG.info("readiness: the store takes writes again");
            m.put("status", "ok");
            m.put("role", role.name().toLowerCase());
            m.put("store", "up");
            return JsonResponses.json(200, m);
        } catch (StoreUnavailableException e) {
            if (storeUp.getAndSet(false)) LOG.warning(() -> "readiness: the store takes no writes (" + StoreUnavailableException.describe(e) + ")");
            m.put("status", "unavailable");
            m.put("role", role.name().toLowerCase());
            m.put("store", "down");
            return Response.fromResponse(JsonResponses.json(503, m)).header("Retry-After", "5").build();
        }
    }
}
