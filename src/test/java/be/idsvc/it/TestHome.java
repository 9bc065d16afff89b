package be.idsvc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import be.idsvc.admin.DemoHome;

/** A fresh demo service home for a server under test, made by the same code as {@code idsvc demo-home}. */
final class TestHome {
    private TestHome() {}

    /** Tomcat reports every peer of a Unix domain socket connector as this address. */
    static final String UNIX_SOCKET_PEER = "127.0.0.1";

    /** A home whose only trusted proxy is {@link ServerUnderTest#PROXY_ADDRESS}: the TCP proxy hop (WildFly). */
    static DemoHome.Result create(Path home, Path demo, int publicPort, int mtlsPort) {
        return create(home, demo, publicPort, mtlsPort, ServerUnderTest.PROXY_ADDRESS);
    }

    /** Deletes {@code home} and {@code demo}, makes a demo home for the ports, and adapts it for the tests. */
    static DemoHome.Result create(Path home, Path demo, int publicPort, int mtlsPort, String trustedProxy) {
        ServerScript.deleteRecursively(home);
        ServerScript.deleteRecursively(demo);
        DemoHome.Result material = DemoHome.create(new DemoHome.Options(home, demo, publicPort, mtlsPort, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        adapt(home, trustedProxy);
        return material;
    }

    /**
     * Codes keep the production maximum of 60 s and access tokens live as long (not 300 s), so that
     * expiry is tested with one 61 s wait (ClientErrorsIT) while a code and a token obtained before a
     * server restart still work after it (CodeFlowIT): a restart of WildFly on a busy machine took
     * more than 30 s. The reverse proxy of ReverseProxyIT is believed from one address only: on
     * WildFly it connects from 127.0.0.2; on Tomcat it comes over the Unix domain socket, whose peers
     * Tomcat reports as 127.0.0.1, which makes that address trusted, and so proves that a trusted
     * address alone never makes the header believed on the HTTPS connector.
     */
    private static void adapt(Path home, String trustedProxy) {
        Path settings = home.resolve("idsvc.properties");
        try {
            String text = Files.readString(settings, StandardCharsets.UTF_8)
                    .replaceAll("(?m)^(code_ttl_seconds|access_token_ttl_seconds)=.*$", "");
            Files.writeString(settings, text + "\ncode_ttl_seconds=60\naccess_token_ttl_seconds=60\nproxy.trusted_addresses="
                    + trustedProxy + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
