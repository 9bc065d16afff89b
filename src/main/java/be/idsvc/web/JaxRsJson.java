package be.idsvc.web;

import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;

import com.fasterxml.jackson.databind.ObjectMapper;

import be.idsvc.json.Json;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * JSON bodies of JAX-RS responses: Jersey's JacksonFeature, registered explicitly, writing with
 * the service's one mapper ({@link Json}). Auto-discovery is off so that nothing on the server's
 * class path (on WildFly: RESTEasy's or another Jackson provider) can add or replace a provider
 * unseen; the exception mappers of JacksonFeature are left out so that {@link ErrorMapper} answers
 * every error, without echoing Jackson's messages.
 */
public final class JaxRsJson {
    private JaxRsJson() {}

    public static void register(ResourceConfig app) {
        app.property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE_SERVER, true);
        app.register(JacksonFeature.withoutExceptionMappers());
        app.register(new MapperResolver());
    }

    /** Hands JacksonFeature the service's mapper (a copy: Jersey may reconfigure what it is given). */
    @Produces(MediaType.APPLICATION_JSON)
    static final class MapperResolver implements ContextResolver<ObjectMapper> {
        private final ObjectMapper mapper = Json.forJaxRs();

        @Override
        public ObjectMapper getContext(Class<?> type) {
            return mapper;
        }
    }
}
