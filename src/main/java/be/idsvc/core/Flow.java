package be.idsvc.core;

/**
 * A browser sign-in between authorize and consent: the ticket the browser carries (its
 * {@code flow=} parameter), what the ticket holds, and the identity the store holds once the
 * person identified ({@code null} before).
 */
public record Flow(String ticket, String id, AuthorizationRequest request, long expiresAt, Identity identity) {}
