package be.idsvc.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A token introspection response (RFC 7662 §2.2) with the certificate binding of RFC 8705 §3.2.
 * An inactive token is answered with {@code active} alone: nothing else may be revealed about it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntrospectionResponse(
        @JsonProperty("active") boolean active,
        @JsonProperty("scope") String scope,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("exp") Long exp,
        @JsonProperty("iss") String iss,
        @JsonProperty("sub") String sub,
        @JsonProperty("aud") String aud,
        @JsonProperty("cnf") Confirmation cnf) {

    /** The confirmation claim of a certificate-bound token (RFC 8705 §3.1). */
    public record Confirmation(@JsonProperty("x5t#S256") String x5tS256) {}

    public static IntrospectionResponse inactive() {
        return new IntrospectionResponse(false, null, null, null, null, null, null, null, null);
    }

    /** An active Bearer token of {@code clientId}, bound to the certificate with thumbprint {@code x5tS256}. */
    public static IntrospectionResponse active(String scope, String clientId, long exp, String iss, String sub, String x5tS256) {
        return new IntrospectionResponse(true, scope, clientId, "Bearer", exp, iss, sub, clientId, new Confirmation(x5tS256));
    }
}
