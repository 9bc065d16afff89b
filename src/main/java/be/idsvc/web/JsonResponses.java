package be.idsvc.web;

import java.io.IOException;

import be.idsvc.core.ErrorResponse;
import be.idsvc.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * JSON answers: OAuth errors (RFC 6749 §5.2) and bodies that must never be cached. The body is a
 * record of the protocol message (or an open claim set); Jersey's JacksonFeature writes it with
 * the service's mapper ({@link JaxRsJson}).
 */
public final class JsonResponses {
    private JsonResponses() {}

    public static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    public static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoTransform(false);
        return cc;
    }

    public static Response json(int status, Object body) {
        return Response.status(status).type(JSON).cacheControl(noStore()).header("Pragma", "no-cache")
                .entity(body).build();
    }

    public static Response error(int status, String error, String description) {
        return json(status, new ErrorResponse(error, description));
    }

    /** For filters, which answer before JAX-RS runs. */
    public static void writeError(HttpServletResponse res, int status, String error, String description) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json;charset=UTF-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write(Json.writeBytes(new ErrorResponse(error, description)));
    }
}
