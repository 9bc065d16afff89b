package be.idsvc.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Exactly the claims the granted scopes release about an identity: nothing more, in a fixed order. */
public final class ClaimRelease {
    private ClaimRelease() {}

    public static Map<String, Object> release(Identity identity, Set<Scope> scopes, String subject) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String claim : Scopes.claims(scopes)) {
            Object value = switch (claim) {
                case "sub" -> subject;
                case "acr" -> identity.acr();
                case "amr" -> identity.amr();
                case "auth_time" -> identity.authTime();
                case "national_number" -> identity.nationalNumber();
                default -> identity.claims().get(claim);
            };
            if (value != null) out.put(claim, value);
        }
        return out;
    }
}
