package be.idsvc.config;

/** What a deployment of the WAR serves; set by the server configuration, never by the build. */
public enum DeploymentRole {
    /** End users' browsers: authorize, identification and consent pages, JWKS. */
    PUBLIC,
    /** Client applications' back ends over mutual TLS: discovery, token, userinfo, JWKS. */
    MTLS;

    /** Fails with a message that says what to configure when the role is missing or unknown. */
    public static DeploymentRole parse(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("no deployment role: set the JNDI environment entry idsvc/role to 'public' or 'mtls'");
        }
        return switch (value.trim()) {
            case "public" -> PUBLIC;
            case "mtls" -> MTLS;
            default -> throw new ConfigurationException("unknown deployment role '" + value
                    + "': the JNDI environment entry idsvc/role must be 'public' or 'mtls'");
        };
    }
}
