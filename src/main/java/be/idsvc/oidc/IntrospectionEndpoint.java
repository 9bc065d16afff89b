package be.idsvc.oidc;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import be.idsvc.clientauth.ClientAuthenticator.AuthenticatedClient;
import be.idsvc.core.OAuthError;
import be.idsvc.core.Scopes;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.web.ClientCertificates;
import be.idsvc.web.JsonResponses;
import be.idsvc.web.ServiceComponents;
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
    private final ServiceComponents c;

    @Inject
    public IntrospectionEndpoint(ServiceComponents c) {
        this.c = c;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response introspect(MultivaluedMap<String, String> form, @Context HttpServletRequest http) {
        ClientTokenRequest request = ClientTokenRequest.from(form);
        X509Certificate[] chain = ClientCertificates.of(http);
        AuthenticatedClient client = c.clientAuthenticator.authenticate(request.clientId(), chain);
        if (request.token() == null) throw OAuthError.invalidRequest("token is missing");
        // The rules of userinfo: a token whose certificate was unpinned, revoked or whose client went is inactive.
        Optional<AccessTokenGrant> grant = c.store.findAccessToken(request.token(), c.now())
                .filter(g -> g.clientId().equals(client.client().clientId()))
                .filter(g -> c.tokenBinding.stillValid(g.clientId(), g.certificateThumbprint(), chain));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", grant.isPresent());
        grant.ifPresent(g -> {
            body.put("scope", Scopes.format(g.scopes()));
            body.put("client_id", g.clientId());
            body.put("token_type", "Bearer");
            body.put("exp", g.expiresAt());
            body.put("iss", c.settings.issuer());
            Object sub = g.claims().get("sub");
            if (sub != null) body.put("sub", sub);
            body.put("aud", g.clientId());
            body.put("cnf", Map.of("x5t#S256", g.certificateThumbprint()));
        });
        return JsonResponses.json(200, body);
    }
}
