package be.idsvc.core;

import java.util.List;
import java.util.Set;

/**
 * A registered client application, as its registration file states it.
 *
 * @param pins SHA-256 thumbprints ({@code x5t#S256}) of the client's current certificates
 */
public record Client(
        String clientId,
        String name,
        ClientAuthMethod authMethod,
        String subjectDn,
        List<String> sanDns,
        List<String> redirectUris,
        Set<Scope> allowedScopes,
        Set<String> pins,
        String idTokenAlg,
        String sectorIdentifier,
        boolean allowWithoutPin) {

    public Client {
        redirectUris = List.copyOf(redirectUris);
        sanDns = List.copyOf(sanDns);
        allowedScopes = Set.copyOf(allowedScopes);
        pins = Set.copyOf(pins);
    }

    public boolean hasRedirectUri(String uri) {
        return redirectUris.contains(uri);
    }
}
