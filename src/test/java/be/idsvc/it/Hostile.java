package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import be.idsvc.testclient.RelyingParty;

/**
 * What the hostile-input suite shares: requests shaped exactly as an attacker sends them (any
 * method, header, content type or body), the exact-answer assertions, and the two watches that
 * hold for the whole suite: no answer is a 5xx, and the server logs no stack trace or error while
 * a hostile class runs. {@link StoreRows} proves that the refused requests left the store as it was.
 */
final class Hostile {
    private Hostile() {}

    /** Every answer of the running class, so that its last step can prove none was a 5xx. */
    private static final List<String> SERVER_ERRORS = Collections.synchronizedList(new ArrayList<>());

    /** Matches what a server logs for a bug: a stack frame, a SEVERE (JUL) or an ERROR (WildFly) line. */
    private static final Pattern ALARM = Pattern.compile("(?m)^\\s+at [a-z]|\\bSEVERE\\b| ERROR \\[");

    static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A request of any shape; headers as name/value pairs (a name may repeat). */
    static HttpResponse<String> send(HttpClient http, String method, URI uri, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, body).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) SERVER_ERRORS.add(method + " " + uri.getRawPath() + " -> " + r.statusCode() + ": " + r.body());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> postForm(HttpClient http, URI uri, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/x-www-form-urlencoded";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(http, "POST", uri, HttpRequest.BodyPublishers.ofString(body), all);
    }

    /** A body without a declared length: the client sends it chunked. */
    static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    /** Records an answer obtained by another client (Browser, RelyingParty) for the 5xx watch. */
    static HttpResponse<String> watched(HttpResponse<String> r) {
        if (r.statusCode() >= 500) SERVER_ERRORS.add(r.request().method() + " " + r.uri().getRawPath() + " -> " + r.statusCode() + ": " + r.body());
        return r;
    }

    /** An OAuth JSON error with exactly this status and code. */
    static void assertOAuthError(HttpResponse<String> r, int status, String error) {
        watched(r);
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "not JSON: " + r.body());
        assertEquals(error, RelyingParty.json(r.body()).get("error"), r.body());
        String description = (String) RelyingParty.json(r.body()).get("error_description");
        // RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E
        if (description != null) assertTrue(description.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*"), "error_description: " + description);
    }

    /** An HTML error page with exactly this status, redirecting nowhere. */
    static void assertErrorPage(HttpResponse<String> r, int status) {
        watched(r);
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty(), "redirected to " + r.headers().firstValue("Location"));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), r.headers().map() + " " + r.body());
    }

    /** The log offset from which {@link #assertQuietSince} looks. */
    static int logMark(ServerUnderTest s) {
        return s.log().length();
    }

    /** No 5xx was answered, and the server logged no stack trace, SEVERE or ERROR since {@code mark}. */
    static void assertQuietSince(ServerUnderTest s, int mark) {
        List<String> errors;
        synchronized (SERVER_ERRORS) {
            errors = new ArrayList<>(SERVER_ERRORS);
            SERVER_ERRORS.clear();
        }
        if (!errors.isEmpty()) fail(errors.size() + " answer(s) were 5xx: " + errors);
        String log = s.log();
        String since = log.length() >= mark ? log.substring(mark) : log;
        var m = ALARM.matcher(since);
        if (m.find()) {
            int from = Math.max(0, m.start() - 600);
            fail("the server logged an error while hostile input ran:\n" + since.substring(from, Math.min(since.length(), m.end() + 1500)));
        }
    }

    /** A plain-HTTP answer read off a socket. */
    record RawResponse(int status, String headers, String body) {
        String error() {
            return (String) RelyingParty.json(body).get("error");
        }
    }

    /**
     * Plain HTTP/1.1 to {@code port} on loopback from the local address {@code from} (the mtls
     * deployment's proxy connector believes only 127.0.0.2); {@code head} is everything after the
     * request line and Host, each header ending in CRLF.
     */
    static RawResponse raw(String from, int port, String requestLine, String head, byte[] body) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(from), 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15_000);
            return exchange(socket.getInputStream(), socket.getOutputStream(), from, requestLine, head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As the proxy: over the mtls deployment's proxy hop (the Unix domain socket on Tomcat, loopback
     * TCP from {@link ServerUnderTest#PROXY_ADDRESS} on WildFly).
     */
    static RawResponse asTheProxy(ServerUnderTest s, String requestLine, String head, byte[] body) {
        if (s.mtlsProxySocket() == null) return raw(ServerUnderTest.PROXY_ADDRESS, s.mtlsProxyPort(), requestLine, head, body);
        try (var channel = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.connect(java.net.UnixDomainSocketAddress.of(s.mtlsProxySocket()));
            return exchange(java.nio.channels.Channels.newInputStream(channel), java.nio.channels.Channels.newOutputStream(channel),
                    "the proxy socket", requestLine, head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawResponse exchange(java.io.InputStream in, java.io.OutputStream out, String from, String requestLine, String head,
            byte[] body) throws IOException {
        String h = requestLine + "\r\nHost: localhost\r\nConnection: close\r\n" + head
                + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.write(body);
        out.flush();
        var all = new java.io.ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(text.substring(9, 12));
        int split = text.indexOf("\r\n\r\n");
        String headers = text.substring(0, split);
        String payload = text.substring(split + 4);
        if (headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) payload = dechunk(payload);
        if (status >= 500) SERVER_ERRORS.add(requestLine + " from " + from + " -> " + status + ": " + payload);
        return new RawResponse(status, headers, payload);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) break;
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) break;
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    static void assertRawOAuthError(RawResponse r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.headers().toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), r.headers() + "\n" + r.body());
        assertEquals(error, r.error(), r.body());
    }

    /** A form body in the given order, each pair encoded; a name may repeat. */
    static String form(String... pairs) {
        Map<String, String> dummy = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            dummy.clear();
            dummy.put(pairs[i], pairs[i + 1]);
            if (b.length() > 0) b.append('&');
            b.append(RelyingParty.form(dummy));
        }
        return b.toString();
    }

    /**
     * Row counts of the running server's H2 store, read from a copy of its file (the server holds
     * the file lock). Only rows that outlive {@code aliveAfter} (epoch seconds) are counted, so that
     * the purge of rows expiring meanwhile does not count as a change.
     */
    record StoreRows(Map<String, Long> counts) {
        private static final String[] QUERIES = {
            "flows", "SELECT COUNT(*) FROM idsvc_flow WHERE expires_at > ?",
            "flows with identity", "SELECT COUNT(*) FROM idsvc_flow WHERE identity IS NOT NULL AND expires_at > ?",
            "codes", "SELECT COUNT(*) FROM idsvc_code WHERE expires_at > ?",
            "redeemed codes", "SELECT COUNT(*) FROM idsvc_code WHERE redeemed_at IS NOT NULL AND expires_at > ?",
            "access tokens", "SELECT COUNT(*) FROM idsvc_access_token WHERE expires_at > ?",
            "challenges", "SELECT COUNT(*) FROM idsvc_challenge WHERE expires_at > ?",
        };

        /** A copy of the store file as it is on disk once H2's background writer (1 s delay) has run. */
        static Path snapshot(ServerUnderTest s) {
            try {
                Thread.sleep(1_500);
                Path dir = Files.createTempDirectory("idsvc-store-copy");
                Files.copy(s.home().resolve("store/idsvc.mv.db"), dir.resolve("idsvc.mv.db"), StandardCopyOption.REPLACE_EXISTING);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static StoreRows count(Path snapshot, long aliveAfter) {
            Map<String, Long> out = new LinkedHashMap<>();
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + snapshot.resolve("idsvc") + ";IFEXISTS=TRUE", "sa", "")) {
                for (int i = 0; i < QUERIES.length; i += 2) {
                    try (var ps = c.prepareStatement(QUERIES[i + 1])) {
                        ps.setLong(1, aliveAfter);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            out.put(QUERIES[i], rs.getLong(1));
                        }
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the store copy: " + e.getMessage(), e);
            }
            ServerScript.deleteRecursively(snapshot);
            return new StoreRows(out);
        }
    }

    /** Takes a snapshot now; {@link #assertUnchanged} compares it with one taken then. */
    static final class StoreWatch {
        private final ServerUnderTest s;
        private final Path before;

        StoreWatch(ServerUnderTest s) {
            this.s = s;
            this.before = StoreRows.snapshot(s);
        }

        /** The store holds the same rows as when the watch started, except in the tables named. */
        void assertUnchanged(String... mayChange) {
            Path after = StoreRows.snapshot(s);
            long aliveAfter = System.currentTimeMillis() / 1000 + 2;
            Map<String, Long> b = new LinkedHashMap<>(StoreRows.count(before, aliveAfter).counts());
            Map<String, Long> a = new LinkedHashMap<>(StoreRows.count(after, aliveAfter).counts());
            for (String name : mayChange) {
                b.remove(name);
                a.remove(name);
            }
            assertFalse(b.isEmpty());
            assertEquals(b, a, "the refused requests changed the store");
        }
    }
}
