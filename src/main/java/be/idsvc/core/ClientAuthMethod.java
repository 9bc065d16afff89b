package be.idsvc.core;

/** The two RFC 8705 client authentication methods; no other method exists in this service. */
public enum ClientAuthMethod {
    /** A CA-issued certificate: chain to a trusted client CA, subject match, and pinned. */
    TLS_CLIENT_AUTH("tls_client_auth"),
    /** A self-signed certificate, trusted only because it is pinned. */
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static ClientAuthMethod parse(String value) {
        for (ClientAuthMethod m : values()) {
            if (m.value.equals(value)) return m;
        }
        throw new IllegalArgumentException("unknown token_endpoint_auth_method '" + value
                + "' (expected tls_client_auth or self_signed_tls_client_auth)");
    }
}
