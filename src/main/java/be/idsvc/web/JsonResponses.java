package be.idsvc.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jose4j.json.JsonUtil;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** JSON answers: OAuth errors (RFC 6749 §5.2) and bodies that must never be cached. */
public final class JsonResponses {
    private JsonResponses() {}

    public static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    public static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoTransform(false);
        return cc;
    }

    public static Response json(int status, Map<String, Object> body) {
        return Response.status(status).type(JSON).cacheControl(noStore()).header("Pragma", "no-cache")
                .entity(JsonUtil.toJson(body)).build();
    }

    public static Map<String, Object> errorBody(String error, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        if (description != null) m.put("error_description", description);
        return m;
    }

    public static Response error(int status, String error, String description) {
        return json(status, errorBody(error, description));
    }

    /** For filters, which answer before JAX-RS runs. */
    public static void writeError(HttpServletResponse res, int status, String error, String description) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json;charset=UTF-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write(JsonUtil.toJson(errorBody(error, description)).getBytes(StandardCharsets.UTF_8));
    }
}
