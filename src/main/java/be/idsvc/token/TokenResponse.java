package be.idsvc.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3); the token type is always Bearer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"access_token", "token_type", "expires_in", "id_token", "scope"})
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("id_token") String idToken,
        @JsonProperty("scope") String scope) {

    @JsonProperty("token_type")
    public String tokenType() {
        return "Bearer";
    }
}
