package be.idsvc.token;

import java.util.Map;
import java.util.logging.Logger;

import be.idsvc.clientauth.ClientAuthenticator.AuthenticatedClient;
import be.idsvc.core.ClaimRelease;
import be.idsvc.core.Client;
import be.idsvc.core.OAuthError;
import be.idsvc.core.PairwiseSubject;
import be.idsvc.core.Pkce;
import be.idsvc.core.Scopes;
import be.idsvc.core.Secrets;
import be.idsvc.store.FlowStore;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.store.FlowStore.CodeLookup;

/**
 * The authorization_code grant: checks every binding of the code before touching it, then redeems it
 * exactly once and issues a certificate-bound access token and an ID token.
 */
public final class AuthorizationCodeGrant {
    private static final Logger LOG = Logger.getLogger(AuthorizationCodeGrant.class.getName());

    private final FlowStore store;
    private final IdTokenIssuer idTokens;
    private final PairwiseSubject pairwise;
    private final int accessTokenTtl;

    public AuthorizationCodeGrant(FlowStore store, IdTokenIssuer idTokens, PairwiseSubject pairwise, int accessTokenTtl) {
        this.store = store;
        this.idTokens = idTokens;
        this.pairwise = pairwise;
        this.accessTokenTtl = accessTokenTtl;
    }

    public TokenResponse exchange(TokenRequest request, AuthenticatedClient authenticated, long now) {
        Client client = authenticated.client();
        if (request.code() == null) throw OAuthError.invalidRequest("code is missing");
        if (request.redirectUri() == null) throw OAuthError.invalidRequest("redirect_uri is missing");
        if (request.codeVerifier() == null) throw OAuthError.invalidRequest("code_verifier is missing (PKCE)");

        CodeLookup found = store.findCode(request.code(), now);
        switch (found.status()) {
            case UNKNOWN -> throw OAuthError.invalidGrant("unknown authorization code");
            case EXPIRED -> throw OAuthError.invalidGrant("authorization code expired");
            case REDEEMED -> throw replayed(request.code(), client);
            case VALID -> { }
        }
        CodeGrant grant = found.grant();
        if (!grant.clientId().equals(client.clientId())) throw OAuthError.invalidGrant("authorization code was issued to another client");
        if (!grant.redirectUri().equals(request.redirectUri())) throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        if (!Pkce.matches(request.codeVerifier(), grant.codeChallenge())) throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");

        String subject = pairwise.subject(client.sectorIdentifier(), grant.identity().nationalNumber());
        Map<String, Object> claims = ClaimRelease.release(grant.identity(), grant.scopes(), subject);
        String accessToken = Secrets.newHandle();
        long expiresAt = now + accessTokenTtl;
        AccessTokenGrant token = new AccessTokenGrant(client.clientId(), authenticated.certificateThumbprint(), grant.scopes(), claims, expiresAt);
        // Signed before the code is burnt: without a usable key the answer is 503, the code stays
        // redeemable and no token is stored that its client never received.
        String idToken = idTokens.issue(client, subject, grant.identity(), grant.nonce(), accessToken, now);
        if (!store.redeemCode(request.code(), accessToken, token, now)) {
            // Another request redeemed it between our read and our write: a replay all the same.
            throw replayed(request.code(), client);
        }
        return new TokenResponse(accessToken, accessTokenTtl, idToken, Scopes.format(grant.scopes()));
    }

    /**
     * RFC 6749 §4.1.2: a code presented twice has leaked, so the token it bought is revoked. This
     * holds for the loser of a concurrent race too: a client that retries a redemption loses both.
     */
    private OAuthError replayed(String code, Client client) {
        boolean revoked = store.revokeTokenOfRedeemedCode(code);
        LOG.warning(() -> "authorization code presented again by " + client.clientId()
                + (revoked ? "; the access token it bought is revoked" : ""));
        return OAuthError.invalidGrant("authorization code already used");
    }
}
