package be.idsvc.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.core.Identity;
import be.idsvc.core.Scopes;

/** The stored form of what the store seals (identities, code and token grants), to and from JSON maps. */
final class StoredJson {
    private StoredJson() {}

    static Map<String, Object> of(Identity id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("national_number", id.nationalNumber());
        m.put("claims", id.claims());
        m.put("acr", id.acr());
        m.put("amr", id.amr());
        m.put("auth_time", id.authTime());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Identity identity(Map<String, Object> m) {
        return new Identity((String) m.get("national_number"), (Map<String, Object>) m.get("claims"), (String) m.get("acr"),
                (List<String>) m.get("amr"), ((Number) m.get("auth_time")).longValue());
    }

    static Map<String, Object> of(CodeGrant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", g.clientId());
        m.put("redirect_uri", g.redirectUri());
        m.put("code_challenge", g.codeChallenge());
        if (g.nonce() != null) m.put("nonce", g.nonce());
        m.put("scope", Scopes.format(g.scopes()));
        m.put("identity", of(g.identity()));
        return m;
    }

    @SuppressWarnings("unchecked")
    static CodeGrant codeGrant(Map<String, Object> m) {
        return new CodeGrant((String) m.get("client_id"), (String) m.get("redirect_uri"), (String) m.get("code_challenge"),
                (String) m.get("nonce"), Scopes.parse((String) m.get("scope")), identity((Map<String, Object>) m.get("identity")));
    }

    static Map<String, Object> of(AccessTokenGrant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", t.clientId());
        m.put("cnf", t.certificateThumbprint());
        m.put("scope", Scopes.format(t.scopes()));
        m.put("claims", t.claims());
        m.put("exp", t.expiresAt());
        return m;
    }

    @SuppressWarnings("unchecked")
    static AccessTokenGrant accessTokenGrant(Map<String, Object> m) {
        return new AccessTokenGrant((String) m.get("client_id"), (String) m.get("cnf"), Scopes.parse((String) m.get("scope")),
                (Map<String, Object>) m.get("claims"), ((Number) m.get("exp")).longValue());
    }
}
