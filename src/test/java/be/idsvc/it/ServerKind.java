package be.idsvc.it;

import java.util.Arrays;

/**
 * The servers the integration suite runs on, each with ports of its own, so that a server left
 * over by an aborted run of one failsafe execution can never answer another execution's tests.
 * Selected by the system property {@value #PROPERTY} (pom.xml sets it per execution).
 *
 * @param property          the value of {@value #PROPERTY}
 * @param displayName       for messages
 * @param publicPort        the public deployment's HTTPS port
 * @param mtlsPort          the mtls deployment's HTTPS port (the issuer's port)
 * @param mtlsProxyPort     the mtls deployment's loopback HTTP port for a reverse proxy
 * @param roleTestPublicPort RoleConfigurationIT's own server (which must fail to start): public port;
 *                          its mtls port is {@code roleTestPublicPort + 1000}, its proxy port that + 37
 */
enum ServerKind {
    TOMCAT10("tomcat10", "Tomcat 10.1", 18443, 19443, 19480, 28443),
    TOMCAT11("tomcat11", "Tomcat 11.0", 18543, 19543, 19580, 18643),
    WILDFLY("wildfly", "WildFly 39", 48443, 49443, 49480, 48543);

    static final String PROPERTY = "idsvc.it.server";

    final String property;
    final String displayName;
    final int publicPort;
    final int mtlsPort;
    final int mtlsProxyPort;
    final int roleTestPublicPort;

    ServerKind(String property, String displayName, int publicPort, int mtlsPort, int mtlsProxyPort, int roleTestPublicPort) {
        this.property = property;
        this.displayName = displayName;
        this.publicPort = publicPort;
        this.mtlsPort = mtlsPort;
        this.mtlsProxyPort = mtlsProxyPort;
        this.roleTestPublicPort = roleTestPublicPort;
    }

    /** The server of this test JVM: {@code -Didsvc.it.server=tomcat10|tomcat11|wildfly}, default tomcat10. */
    static ServerKind selected() {
        String value = System.getProperty(PROPERTY, TOMCAT10.property);
        return Arrays.stream(values()).filter(k -> k.property.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("-D" + PROPERTY + "=" + value + ": expected tomcat10, tomcat11 or wildfly"));
    }

    /** The local port nginx listens on in ReverseProxyIT. */
    int nginxPort() {
        return mtlsPort + 1;
    }

    int roleTestMtlsPort() {
        return roleTestPublicPort + 1000;
    }

    int roleTestMtlsProxyPort() {
        return roleTestMtlsPort() + 37;
    }

    boolean isTomcat() {
        return this != WILDFLY;
    }

    /** The Tomcat major.minor of scripts/tomcat's TOMCAT_VERSION. */
    String tomcatVersion() {
        return switch (this) {
            case TOMCAT10 -> "10.1";
            case TOMCAT11 -> "11.0";
            case WILDFLY -> throw new IllegalStateException("WildFly is not a Tomcat");
        };
    }

    /** Where this server's test homes, instances and logs live: {@code target/it/<property>}. */
    java.nio.file.Path workDir(java.nio.file.Path project) {
        return project.resolve("target/it").resolve(property);
    }
}
