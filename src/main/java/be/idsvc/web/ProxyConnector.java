package be.idsvc.web;

import be.idsvc.config.ConfigurationException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The one plain-HTTP connector of the mtls engine on which a TLS-terminating proxy forwards the
 * client certificate, named by the server configuration in the JNDI environment entry
 * {@value #JNDI_NAME}: {@code unix} for a Unix domain socket connector (Tomcat reports local port 0
 * for those), or the local port of a loopback TCP connector. The peer address alone cannot name
 * the proxy: any local user can bind a loopback address, but only the connector the admin made
 * private (socket file permissions, or a firewall owner rule) tells the proxy apart.
 */
public final class ProxyConnector {
    public static final String JNDI_NAME = "idsvc/proxy_connector";
    /** What Tomcat's NIO connector reports as the local port of a Unix domain socket request. */
    private static final int UNIX_SOCKET_LOCAL_PORT = 0;
    private static final ProxyConnector NONE = new ProxyConnector(-1, "none");

    private final int localPort;
    private final String description;

    private ProxyConnector(int localPort, String description) {
        this.localPort = localPort;
        this.description = description;
    }

    /** Unset means there is no proxy: the header is believed nowhere. Anything unreadable stops the deployment. */
    public static ProxyConnector parse(String value) {
        if (value == null || value.isBlank()) return NONE;
        String v = value.trim();
        if (v.equals("unix")) return new ProxyConnector(UNIX_SOCKET_LOCAL_PORT, "the Unix domain socket connector");
        if (v.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(v);
            if (port >= 1 && port <= 65535) return new ProxyConnector(port, "the plain HTTP connector on local port " + port);
        }
        throw new ConfigurationException("the JNDI environment entry " + JNDI_NAME + " is '" + v
                + "': expected 'unix' (a Unix domain socket connector) or the local port of the proxy's loopback connector");
    }

    public static ProxyConnector none() {
        return NONE;
    }

    /** Whether the request came over this connector; TLS requests never did (the caller checks TLS first). */
    public boolean carried(HttpServletRequest request) {
        return localPort >= 0 && request.getLocalPort() == localPort;
    }

    @Override
    public String toString() {
        return description;
    }
}
