package be.idsvc.demo;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;


import com.sun.net.httpserver.HttpServer;

import be.idsvc.json.Json;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.TlsContexts;

/**
 * The sandbox client application's back end, for a person walking the flow by hand: prints the
 * authorize URL, waits on http://127.0.0.1:8765/callback, redeems the code over mutual TLS and
 * prints the verified ID token claims and the userinfo answer.
 */
public final class DemoClient {
    public static void main(String[] args) throws Exception {
        Path demo = Path.of(args.length > 0 ? args[0] : "target/demo");
        String mtls = args.length > 1 ? args[1] : "https://localhost:9443";
        String scope = args.length > 2 ? args[2] : "openid profile address eid photo";
        RelyingParty rp = new RelyingParty("demo-client", "http://127.0.0.1:8765/callback", URI.create(mtls),
                TlsContexts.of(demo.resolve("ca.pem"), demo.resolve("demo-client.pem"), demo.resolve("demo-client-key.pem")));
        System.out.println("Discovery (over mutual TLS with demo-client's certificate): issuer " + rp.discovery().get("issuer"));
        RelyingParty.Authorization auth = rp.authorization(scope);

        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8765), 0);
        server.createContext("/callback", exchange -> {
            Map<String, String> q = new java.util.LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            byte[] page = "<!DOCTYPE html><title>Demo client</title><p>Done: look at the terminal.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            callback.complete(q);
        });
        server.start();
        try {
            System.out.println();
            System.out.println("Open this URL in a browser that trusts " + demo.resolve("ca.pem") + ":");
            System.out.println();
            System.out.println("  " + auth.url());
            System.out.println();
            System.out.println("Waiting for the callback on http://127.0.0.1:8765/callback (10 minutes) ...");
            Map<String, String> q = callback.get(10, TimeUnit.MINUTES);
            if (q.containsKey("error")) {
                System.out.println("The service answered: " + q.get("error") + " (" + q.get("error_description") + ")");
                System.exit(1);
            }
            if (!auth.state().equals(q.get("state"))) throw new IllegalStateException("state mismatch: refusing the callback");
            HttpResponse<String> token = rp.token(q.get("code"), auth.verifier());
            if (token.statusCode() != 200) throw new IllegalStateException("token endpoint answered " + token.statusCode() + ": " + token.body());
            Map<String, Object> t = RelyingParty.json(token.body());
            System.out.println("ID token verified (signature, iss, aud, exp, nonce). Claims:");
            System.out.println("  " + rp.verifyIdToken((String) t.get("id_token"), auth.nonce()).toJson());
            HttpResponse<String> userinfo = rp.userinfo((String) t.get("access_token"));
            Map<String, Object> u = RelyingParty.json(userinfo.body());
            if (u.containsKey("photo")) u.put("photo", "(" + ((String) u.get("photo")).length() + " base64 characters)");
            System.out.println("Userinfo (" + userinfo.statusCode() + "):");
            System.out.println("  " + Json.write(u));
        } finally {
            server.stop(0);
        }
    }
}
