package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 on the real server: the bytes Jersey's JacksonFeature sends are the bytes jose4j wrote
 * (src/test/resources/json-golden, captured from the old code on a home at localhost:8443/9443).
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class JsonWireIT {
    final ServerUnderTest s = ServerUnderTest.get();

    private static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/json-golden", name), StandardCharsets.UTF_8);
    }

    private static void assertJsonUtf8(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).replace(" ", "");
        assertTrue(type.startsWith("application/json") && type.contains("charset=utf-8"), type);
    }

    @Test
    void discoveryIsByteForByteWhatJose4jWrote() throws Exception {
        HttpClient http = Hostile.client(s.sslContext(ServerUnderTest.DEMO_CLIENT));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(s.mtlsBase().resolve("/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertJsonUtf8(r);
        String publicBase = s.publicBase().toString().replaceAll("/$", "");
        assertEquals(golden("discovery.json").replace("https://localhost:9443", s.issuer()).replace("https://localhost:8443", publicBase),
                new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anErrorBodyIsByteForByteWhatJose4jWrote() throws Exception {
        HttpClient http = Hostile.client(s.sslContextWithoutClientCert());
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(s.publicBase().resolve("/token")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, r.statusCode());
        assertJsonUtf8(r);
        assertEquals("{\"error\":\"invalid_request\",\"error_description\":\"client applications call this endpoint only over mutual TLS at "
                + s.issuer() + "/token\"}", new String(r.body(), StandardCharsets.UTF_8));
    }
}
