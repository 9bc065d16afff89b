package be.idsvc.oidc;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import be.idsvc.clientauth.ClientAuthenticator;
import be.idsvc.clientauth.TokenBindingCheck;
import be.idsvc.config.ServiceSettings;
import be.idsvc.store.FlowStore;
import be.idsvc.clientauth.ClientAuthenticator.AuthenticatedClient;
import be.idsvc.core.OAuthError;
import be.idsvc.core.Scopes;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.token.IntrospectionResponse;
import be.idsvc.web.ClientCertificates;
import be.idsvc.web.JsonResponses;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Token introspection (RFC 7662, mtls host). A client learns about its own tokens only: any other
 * token is {@code {"active": false}}, and so is one that userinfo would refuse because its
 * certificate is no longer valid ({@link be.idsvc.clientauth.TokenBindingCheck}). The answer
 * carries the certificate binding (RFC 8705 §3.2) and releases no personal claims beyond the
 * pairwise {@code sub}.
 */
@Singleton
@Path("/introspect")
public final class IntrospectionEndpoint {
    private final ServiceSettings settings;
    private final ClientAuthenticator clientAuthenticator;
    private final TokenBindingCheck tokenBinding;
    private final FlowStore store;
    private final Clock clock;

    @Inject
    public IntrospectionEndpoint(ServiceSettings settings, ClientAuthenticator clientAuthenticator, TokenBindingCheck tokenBinding,
            FlowStore store, Clock clock) {
        this.settings = settings;
        this.clientAuthenticator = clientAuthenticator;
        this.tokenBinding = tokenBinding;
        this.store = store;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response introspect(MultivaluedMap<String, String> form, @Context HttpServletRequest http) {
        ClientTokenRequest request = ClientTokenRequest.from(form);
        X509Certificate[] chain = ClientCertificates.of(http);
        AuthenticatedClient client = clientAuthenticator.authenticate(request.clientId(), chain);
        if (request.token() == null) throw OAuthError.invalidRequest("token is missing");
        // The rules of userinfo: a token whose certificate was unpinned, revoked or whose client went is inactive.
        Optional<AccessTokenGrant> grant = store.findAccessToken(request.token(), clock.millis() / 1000)
                .filter(g -> g.clientId().equals(client.client().clientId()))
                .filter(g -> tokenBinding.stillValid(g.clientId(), g.certificateThumbprint(), chain));
        IntrospectionResponse body = grant.map(g -> IntrospectionResponse.active(Scopes.format(g.scopes()), g.clientId(), g.expiresAt(),
                settings.issuer(), Objects.toString(g.claims().get("sub"), null), g.certificateThumbprint()))
                .orElseGet(IntrospectionResponse::inactive);
        return JsonResponses.json(200, body);
    }
}
