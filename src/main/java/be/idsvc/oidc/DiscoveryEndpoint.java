package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.Scope;
import be.idsvc.core.Scopes;
import be.idsvc.web.JsonResponses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/**
 * OpenID Provider metadata (OIDC Discovery §3, RFC 8414, RFC 8705 §5) on the mtls host. The
 * issuer is the mtls base URL; the authorization endpoint lives on the public host.
 */
@Singleton
@Path("/.well-known/openid-configuration")
public final class DiscoveryEndpoint {
    private final String json;

    @Inject
    public DiscoveryEndpoint(ServiceSettings settings) {
        this.json = JsonUtil.toJson(metadata(settings));
    }

    static Map<String, Object> metadata(ServiceSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", s.issuer());
        m.put("authorization_endpoint", s.publicEndpoint("/authorize"));
        m.put("token_endpoint", s.mtlsEndpoint("/token"));
        m.put("userinfo_endpoint", s.mtlsEndpoint("/userinfo"));
        m.put("jwks_uri", s.mtlsEndpoint("/jwks"));
        m.put("revocation_endpoint", s.mtlsEndpoint("/revoke"));
        m.put("introspection_endpoint", s.mtlsEndpoint("/introspect"));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("scopes_supported", List.of(Scopes.format(List.of(Scope.values())).split(" ")));
        m.put("claims_supported", Scopes.claims(List.of(Scope.values())));
        m.put("subject_types_supported", List.of("pairwise"));
        m.put("id_token_signing_alg_values_supported", List.of("ES256", "RS256", "PS256"));
        List<String> clientAuth = List.of("tls_client_auth", "self_signed_tls_client_auth");
        m.put("token_endpoint_auth_methods_supported", clientAuth);
        m.put("revocation_endpoint_auth_methods_supported", clientAuth);
        m.put("introspection_endpoint_auth_methods_supported", clientAuth);
        m.put("tls_client_certificate_bound_access_tokens", true);
        Map<String, Object> aliases = new LinkedHashMap<>();
        aliases.put("token_endpoint", s.mtlsEndpoint("/token"));
        aliases.put("userinfo_endpoint", s.mtlsEndpoint("/userinfo"));
        aliases.put("revocation_endpoint", s.mtlsEndpoint("/revoke"));
        aliases.put("introspection_endpoint", s.mtlsEndpoint("/introspect"));
        m.put("mtls_endpoint_aliases", aliases);
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("claims_parameter_supported", false);
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("ui_locales_supported", be.idsvc.web.Messages.SUPPORTED);
        return m;
    }

    @GET
    public Response get() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(300);
        return Response.ok(json, JsonResponses.JSON).cacheControl(cc).build();
    }
}
