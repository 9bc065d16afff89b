package be.idsvc.config;

import java.net.URI;
import java.util.Set;


/**
 * The settings of idsvc.properties, checked once at start-up.
 *
 * @param trustedProxies peer addresses whose {@code Client-Cert} header is believed
 * @param revocation the {@code revocation.*} settings (docs/revocation.md)
 * @param purgeIntervalSeconds how often each deployment deletes expired records from the store
 */
public record ServiceSettings(
        String issuer,
        String publicBaseUrl,
        int accessTokenTtlSeconds,
        int idTokenTtlSeconds,
        int codeTtlSeconds,
        int flowTtlSeconds,
        Set<String> trustedProxies,
        RevocationSettings revocation,
        int purgeIntervalSeconds) {

    public static ServiceSettings load(ServiceHome home) {
        PropertiesFile p = PropertiesFile.read(home.settingsFile());
        return new ServiceSettings(
                httpsUrl(p, "issuer"),
                httpsUrl(p, "public_base_url"),
                p.integer("access_token_ttl_seconds", 300, 30, 86400),
                p.integer("id_token_ttl_seconds", 300, 30, 86400),
                // DESIGN §5: a code lives at most 60 s.
                p.integer("code_ttl_seconds", 60, 5, 60),
                p.integer("flow_ttl_seconds", 600, 60, 3600),
                ipAddresses(p, "proxy.trusted_addresses"),
                RevocationSettings.read(p),
                p.integer("store.purge_interval_seconds", 30, 1, 3600));
    }

    /** The endpoint URL on the mtls host. */
    public String mtlsEndpoint(String path) {
        return issuer + path;
    }

    public String publicEndpoint(String path) {
        return publicBaseUrl + path;
    }

    /**
     * IP address literals (no names: a DNS answer must not decide whom we believe), normalised the
     * way the servlet container reports peer addresses.
     */
    private static Set<String> ipAddresses(PropertiesFile p, String key) {
        String v = p.optional(key);
        if (v == null) return Set.of();
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String a : v.split("[\\s,]+")) {
            if (a.isEmpty()) continue;
            if (!a.matches("[0-9.]+|[0-9A-Fa-f:]+")) throw new ConfigurationException(p.file() + ": " + key + ": '" + a + "' is not an IP address");
            try {
                out.add(java.net.InetAddress.getByName(a).getHostAddress());
            } catch (java.net.UnknownHostException e) {
                throw new ConfigurationException(p.file() + ": " + key + ": '" + a + "' is not an IP address");
            }
        }
        return Set.copyOf(out);
    }

    private static String httpsUrl(PropertiesFile p, String key) {
        String v = p.required(key);
        while (v.endsWith("/")) v = v.substring(0, v.length() - 1);
        try {
            URI u = new URI(v);
            if (!"https".equals(u.getScheme()) || u.getHost() == null || u.getQuery() != null || u.getFragment() != null) {
                throw new ConfigurationException(p.file() + ": " + key + " must be an https URL without query or fragment");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigurationException(p.file() + ": " + key + " is not a URL");
        }
        return v;
    }
}
