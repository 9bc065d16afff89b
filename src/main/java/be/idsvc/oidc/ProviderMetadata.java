package be.idsvc.oidc;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.Scope;
import be.idsvc.core.Scopes;
import be.idsvc.web.Messages;

/**
 * OpenID Provider metadata (OIDC Discovery §3, RFC 8414 §2) with the mutual-TLS members of
 * RFC 8705 §3.3 and §5 and the {@code iss} parameter of RFC 9207 §3. The issuer is the mtls base
 * URL; only the authorization endpoint lives on the public host.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderMetadata(
        @JsonProperty("issuer") String issuer,
        @JsonProperty("authorization_endpoint") String authorizationEndpoint,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("userinfo_endpoint") String userinfoEndpoint,
        @JsonProperty("jwks_uri") String jwksUri,
        @JsonProperty("revocation_endpoint") String revocationEndpoint,
        @JsonProperty("introspection_endpoint") String introspectionEndpoint,
        @JsonProperty("response_types_supported") List<String> responseTypesSupported,
        @JsonProperty("response_modes_supported") List<String> responseModesSupported,
        @JsonProperty("grant_types_supported") List<String> grantTypesSupported,
        @JsonProperty("code_challenge_methods_supported") List<String> codeChallengeMethodsSupported,
        @JsonProperty("scopes_supported") List<String> scopesSupported,
        @JsonProperty("claims_supported") List<String> claimsSupported,
        @JsonProperty("subject_types_supported") List<String> subjectTypesSupported,
        @JsonProperty("id_token_signing_alg_values_supported") List<String> idTokenSigningAlgValuesSupported,
        @JsonProperty("token_endpoint_auth_methods_supported") List<String> tokenEndpointAuthMethodsSupported,
        @JsonProperty("revocation_endpoint_auth_methods_supported") List<String> revocationEndpointAuthMethodsSupported,
        @JsonProperty("introspection_endpoint_auth_methods_supported") List<String> introspectionEndpointAuthMethodsSupported,
        @JsonProperty("tls_client_certificate_bound_access_tokens") boolean tlsClientCertificateBoundAccessTokens,
        @JsonProperty("mtls_endpoint_aliases") MtlsEndpointAliases mtlsEndpointAliases,
        @JsonProperty("prompt_values_supported") List<String> promptValuesSupported,
        @JsonProperty("claims_parameter_supported") boolean claimsParameterSupported,
        @JsonProperty("request_parameter_supported") boolean requestParameterSupported,
        @JsonProperty("request_uri_parameter_supported") boolean requestUriParameterSupported,
        @JsonProperty("authorization_response_iss_parameter_supported") boolean authorizationResponseIssParameterSupported,
        @JsonProperty("ui_locales_supported") List<String> uiLocalesSupported) {

    /** RFC 8705 §5: where a client that authenticates with its certificate finds each endpoint. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MtlsEndpointAliases(
            @JsonProperty("token_endpoint") String tokenEndpoint,
            @JsonProperty("userinfo_endpoint") String userinfoEndpoint,
            @JsonProperty("revocation_endpoint") String revocationEndpoint,
            @JsonProperty("introspection_endpoint") String introspectionEndpoint) {}

    /** What this service supports, at the URLs of {@code s}. */
    public static ProviderMetadata of(ServiceSettings s) {
        List<String> clientAuth = List.of("tls_client_auth", "self_signed_tls_client_auth");
        return new ProviderMetadata(
                s.issuer(),
                s.publicEndpoint("/authorize"),
                s.mtlsEndpoint("/token"),
                s.mtlsEndpoint("/userinfo"),
                s.mtlsEndpoint("/jwks"),
                s.mtlsEndpoint("/revoke"),
                s.mtlsEndpoint("/introspect"),
                List.of("code"),
                List.of("query"),
                List.of("authorization_code"),
                List.of("S256"),
                List.of(Scopes.format(List.of(Scope.values())).split(" ")),
                Scopes.claims(List.of(Scope.values())),
                List.of("pairwise"),
                List.of("ES256", "RS256", "PS256"),
                clientAuth,
                clientAuth,
                clientAuth,
                true,
                new MtlsEndpointAliases(s.mtlsEndpoint("/token"), s.mtlsEndpoint("/userinfo"), s.mtlsEndpoint("/revoke"),
                        s.mtlsEndpoint("/introspect")),
                List.of("none", "login", "consent", "select_account"),
                false,
                false,
                false,
                true,
                Messages.SUPPORTED);
    }
}
