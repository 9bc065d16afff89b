package be.idsvc.core;

import java.util.Map;
import java.util.Set;

/** What an access token grants: the released claims, for one client, bound to one certificate. */
public record AccessTokenGrant(String clientId, String certificateThumbprint, Set<Scope> scopes, Map<String, Object> claims, long expiresAt) {}
