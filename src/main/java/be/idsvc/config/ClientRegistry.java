package be.idsvc.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import be.idsvc.core.Client;
import be.idsvc.core.ClientAuthMethod;
import be.idsvc.core.Scope;
import be.idsvc.core.Scopes;

/**
 * The client registrations of the service home, one file per client, reloaded when they change.
 * A file that does not parse disables its client (the file's name is the client id): the client
 * is refused everywhere until the file is fixed or removed, and {@link #whyRefused} says why.
 */
public final class ClientRegistry {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern PIN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> ID_TOKEN_ALGS = Set.of("ES256", "RS256", "PS256");
    private static final String SUFFIX = ".properties";

    private record Registry(Map<String, Client> clients, Map<String, String> broken) {}

    private final Supplier<Registry> registry;

    public ClientRegistry(ServiceHome home, Clock clock) {
        this.registry = new WatchedDirectory<>(home.clientsDir(), "*" + SUFFIX, ClientRegistry::parse, clock).derived(ClientRegistry::index);
    }

    public Optional<Client> find(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(registry.get().clients.get(clientId));
    }

    public List<Client> all() {
        return List.copyOf(registry.get().clients.values());
    }

    /** Why a client is refused although a file for it exists: its registration does not parse. */
    public Optional<String> whyRefused(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(registry.get().broken.get(clientId));
    }

    private static Registry index(WatchedDirectory.Contents<Client> contents) {
        Map<String, Client> clients = new TreeMap<>();
        for (Client c : contents.parsed().values()) clients.put(c.clientId(), c);
        Map<String, String> broken = new TreeMap<>();
        contents.broken().forEach((f, why) -> {
            String name = f.getFileName().toString();
            broken.put(name.substring(0, name.length() - SUFFIX.length()), f + ": " + why);
        });
        return new Registry(Collections.unmodifiableMap(clients), Collections.unmodifiableMap(broken));
    }

    public static Client parse(Path file, byte[] content) {
        Properties p = new Properties();
        try {
            p.load(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(file + ": not a properties file: " + e.getMessage());
        }
        String id = get(p, "client_id");
        if (id == null || !CLIENT_ID.matcher(id).matches()) throw new ConfigurationException(file + ": client_id is missing or malformed");
        String expectedName = id + ".properties";
        if (!file.getFileName().toString().equals(expectedName)) {
            throw new ConfigurationException(file + ": a client's file must be named " + expectedName);
        }
        ClientAuthMethod method;
        try {
            method = ClientAuthMethod.parse(get(p, "token_endpoint_auth_method"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(file + ": " + e.getMessage());
        }
        String subjectDn = get(p, "tls_client_auth_subject_dn");
        List<String> sanDns = words(get(p, "tls_client_auth_san_dns"));
        if (method == ClientAuthMethod.TLS_CLIENT_AUTH && subjectDn == null && sanDns.isEmpty()) {
            throw new ConfigurationException(file + ": tls_client_auth needs tls_client_auth_subject_dn or tls_client_auth_san_dns");
        }
        if (subjectDn != null) {
            try {
                new javax.security.auth.x500.X500Principal(subjectDn);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(file + ": tls_client_auth_subject_dn is not a distinguished name");
            }
        }
        List<String> redirectUris = words(get(p, "redirect_uris"));
        if (redirectUris.isEmpty()) throw new ConfigurationException(file + ": redirect_uris is missing");
        for (String uri : redirectUris) checkRedirectUri(file, uri);
        Set<Scope> scopes;
        try {
            scopes = Scopes.parse(get(p, "scopes") == null ? "openid" : get(p, "scopes"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(file + ": " + e.getMessage());
        }
        List<String> pins = words(get(p, "pins"));
        for (String pin : pins) {
            if (!PIN.matcher(pin).matches()) throw new ConfigurationException(file + ": pin '" + pin + "' is not a base64url SHA-256 thumbprint");
        }
        String alg = get(p, "id_token_signed_response_alg") == null ? "ES256" : get(p, "id_token_signed_response_alg");
        if (!ID_TOKEN_ALGS.contains(alg)) throw new ConfigurationException(file + ": id_token_signed_response_alg must be one of " + ID_TOKEN_ALGS);
        String sector = get(p, "sector_identifier");
        if (sector == null) sector = URI.create(redirectUris.get(0)).getHost();
        boolean withoutPin = Boolean.parseBoolean(get(p, "allow_identification_without_pin"));
        return new Client(id, get(p, "client_name") == null ? id : get(p, "client_name"), method, subjectDn, sanDns,
                redirectUris, scopes, Set.copyOf(pins), alg, sector, withoutPin);
    }

    private static void checkRedirectUri(Path file, String uri) {
        try {
            URI u = new URI(uri);
            boolean loopbackHttp = "http".equals(u.getScheme())
                    && ("127.0.0.1".equals(u.getHost()) || "[::1]".equals(u.getHost()) || "localhost".equals(u.getHost()));
            if (!(("https".equals(u.getScheme()) || loopbackHttp) && u.getHost() != null && u.getFragment() == null)) {
                throw new ConfigurationException(file + ": redirect URI " + uri + " must be https (http only on loopback) without fragment");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigurationException(file + ": redirect URI " + uri + " is not a URI");
        }
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static List<String> words(String v) {
        return v == null ? List.of() : Arrays.stream(v.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }
}
