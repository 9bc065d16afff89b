package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The WAR's own Jersey serves the endpoints on every server (DESIGN §8): on WildFly the WAR's
 * jboss-deployment-structure.xml excludes the jaxrs subsystem, so RESTEasy must not take over.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class JaxRsRuntimeIT {
    final ServerUnderTest s = ServerUnderTest.get();

    /**
     * Decisive for Jersey: an OPTIONS request for a resource without an OPTIONS method, asking for
     * text/plain, is answered by Jersey's automatic OPTIONS support with 200 and the allowed methods
     * as a text/plain body ("HEAD, GET, OPTIONS"). RESTEasy answers it with 200, an Allow header
     * and no body. And RESTEasy, had it taken a deployment, would have logged its RESTEASY0...
     * deployment messages.
     */
    @Test
    void jerseyNotResteasyServes() throws Exception {
        for (var base : new java.net.URI[] {s.publicBase(), s.mtlsBase()}) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .sslContext(base.equals(s.publicBase()) ? s.sslContextWithoutClientCert() : s.sslContext(ServerUnderTest.DEMO_CLIENT))
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest options = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(20))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Accept", "text/plain").build();
            HttpResponse<String> r = client.send(options, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Optional.of("text/plain"), r.headers().firstValue("content-type"));
            assertEquals(Set.of("HEAD", "GET", "OPTIONS"), Arrays.stream(r.body().split(",")).map(String::strip).collect(Collectors.toSet()),
                    base + ": Jersey's text/plain OPTIONS body: " + r.body());
        }
        assertFalse(s.log().contains("RESTEASY0"), "RESTEasy must not process the deployments");
    }
}
