package be.idsvc.clientauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ClientCaStore;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.TestClock;
import be.idsvc.core.OAuthError;

/** The cached CA-path check answers only for the CA set and the registration it was made with. */
class ClientAuthenticatorCacheTest {
    final TestClock clock = new TestClock();
    @TempDir
    Path tmp;

    @Test
    void aCachedCheckDoesNotOutliveACaChangeOrARegistrationChange() throws Exception {
        DemoHome.Result demo = DemoHome.create(new DemoHome.Options(tmp.resolve("home"), tmp.resolve("demo")),
                new PrintStream(new ByteArrayOutputStream()));
        ServiceHome home = ServiceHome.at(tmp.resolve("home"));
        Set<TrustAnchor> loaded = new ClientCaStore(home, clock).anchors();
        AtomicReference<Set<TrustAnchor>> cas = new AtomicReference<>(loaded);
        ClientRegistry clients = new ClientRegistry(home, clock);
        ClientAuthenticator authenticator = new ClientAuthenticator(clients, cas::get, clock);
        X509Certificate[] chain = demo.demoClient().chain().toArray(X509Certificate[]::new);

        for (int i = 0; i < 3; i++) {
            assertEquals("demo-client", authenticator.authenticate("demo-client", chain).client().clientId());
            authenticator.checkStillValid("demo-client", chain);
        }

        // The CA is no longer trusted: the cached success must not answer.
        cas.set(Set.of());
        assertEquals("invalid_client", assertThrows(OAuthError.class, () -> authenticator.authenticate("demo-client", chain)).code());
        assertEquals("invalid_token", assertThrows(OAuthError.class, () -> authenticator.checkStillValid("demo-client", chain)).code());
        cas.set(loaded);
        authenticator.checkStillValid("demo-client", chain);

        // The registration's subject changes: the entry keyed by the old registration must not answer.
        Path file = home.clientsDir().resolve("demo-client.properties");
        String text = Files.readString(file).replaceFirst("(?m)^tls_client_auth_subject_dn=.*$", "tls_client_auth_subject_dn=CN=someone-else");
        Files.writeString(file, text);
        clock.passCheckInterval();
        assertEquals("invalid_client", assertThrows(OAuthError.class, () -> authenticator.authenticate("demo-client", chain)).code());
    }
}
