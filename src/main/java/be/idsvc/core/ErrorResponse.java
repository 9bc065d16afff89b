package be.idsvc.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An error response (RFC 6749 §5.2): the body of every JSON error this service answers, at the
 * token endpoint and also at userinfo (RFC 6750 §3), introspection (RFC 7662 §2.3), revocation
 * (RFC 7009 §2.2.1) and wherever a request is refused before an endpoint runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {
    public ErrorResponse {
        if (error == null) throw new IllegalArgumentException("an error response names its error code");
    }
}
