package be.idsvc.core;

import java.util.Set;

/** What an authorization code grants: bound to client, redirect URI, PKCE challenge and nonce. */
public record CodeGrant(String clientId, String redirectUri, String codeChallenge, String nonce, Set<Scope> scopes, Identity identity) {}
