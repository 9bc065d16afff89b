package be.idsvc.oidc;

import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Identity;

/**
 * A flow between authorize and consent, as a page sees it: the ticket the browser carries (its
 * {@code flow=} parameter), what the ticket holds, and the identity the store holds once the
 * person identified ({@code null} before).
 */
record Flow(String ticket, String id, AuthorizationRequest request, long expiresAt, Identity identity) {}
