package be.idsvc.oidc;

import java.util.List;
import java.util.Map;

import be.idsvc.core.SingleValuedForm;

/** The form of a revocation (RFC 7009) or introspection (RFC 7662) request: each parameter at most once. */
record ClientTokenRequest(String token, String clientId) {
    static ClientTokenRequest from(Map<String, List<String>> form) {
        SingleValuedForm f = SingleValuedForm.of(form);
        return new ClientTokenRequest(f.get("token"), f.get("client_id"));
    }
}
