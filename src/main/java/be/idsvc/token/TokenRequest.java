package be.idsvc.token;

import java.util.List;
import java.util.Map;

import be.idsvc.core.SingleValuedForm;

/** The parameters of a token request (RFC 6749 §4.1.3, RFC 7636 §4.5), each present at most once. */
public record TokenRequest(String grantType, String code, String redirectUri, String codeVerifier, String clientId) {
    public static TokenRequest from(Map<String, List<String>> form) {
        SingleValuedForm f = SingleValuedForm.of(form);
        return new TokenRequest(f.get("grant_type"), f.get("code"), f.get("redirect_uri"), f.get("code_verifier"), f.get("client_id"));
    }
}
