package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/**
 * The code flow through a real Chromium ({@code src/test/browser/flow.mjs}, Playwright): the pages
 * render, their Content-Security-Policy lets the forms and the redirect to the client through,
 * and nothing on them logs an error. Chromium trusts the demo CA through an NSS database; no
 * certificate error is ignored. Screenshots land in {@code target/screenshots/<server>/}.
 *
 * <p>Needs node, {@code src/test/browser/node_modules} ({@code npm ci}, run by {@code mvn verify}),
 * {@code /usr/bin/chromium} and certutil ({@code apt-get install -y chromium libnss3-tools}, done
 * by {@code .ci/run}). Without them the tests fail, they do not skip.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class BrowserFlowIT {
    /** The demo client's callback, answered by flow.mjs; its port is {@code -Didsvc.it.callback.port} (default 8765). */
    static final String CALLBACK = "http://127.0.0.1:" + Integer.getInteger("idsvc.it.callback.port", 8765) + "/callback";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final long FLOW_TIMEOUT_SECONDS = 120;

    final ServerUnderTest s = ServerUnderTest.get();

    @BeforeAll
    static void browserIsInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(Path.of(CHROMIUM))) missing.add(CHROMIUM + " (apt-get update && apt-get install -y chromium)");
        if (!onPath("certutil")) missing.add("certutil (apt-get install -y libnss3-tools)");
        if (!onPath("node")) missing.add("node 20 or newer (https://nodejs.org or apt-get install -y nodejs npm)");
        if (!Files.isDirectory(browserDir().resolve("node_modules/playwright-core"))) {
            missing.add(browserDir().resolve("node_modules") + " (cd src/test/browser && npm ci; mvn -B verify runs it)");
        }
        if (!missing.isEmpty()) {
            fail("The real-browser test needs, and cannot find:\n  " + String.join("\n  ", missing)
                    + "\n.ci/run installs all of them before mvn -B verify.");
        }
    }

    @Test
    void approveInChromiumReleasesTheConsentedClaimsToTheClient() throws Exception {
        RelyingParty rp = demoClient();
        Authorization auth = rp.authorization("openid profile address eid photo");
        Map<String, String> callback = chromium(auth, "approve");
        assertEquals(auth.state(), callback.get("state"));
        assertEquals(s.issuer(), callback.get("iss"));
        assertFalse(callback.containsKey("error"), callback.toString());

        HttpResponse<String> token = rp.token(callback.get("code"), auth.verifier());
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> t = RelyingParty.json(token.body());
        assertEquals("Bearer", t.get("token_type"));
        assertEquals("openid profile address eid photo", t.get("scope"));

        JwtClaims id = rp.verifyIdToken((String) t.get("id_token"), auth.nonce());
        assertEquals(s.issuer(), id.getIssuer());
        assertEquals(List.of("demo-client"), id.getAudience());
        assertEquals("urn:be:idsvc:acr:sandbox-test", id.getClaimValue("acr"));
        assertEquals(List.of("test"), id.getClaimValue("amr"));
        assertFalse(id.hasClaim("name"), "profile claims come from userinfo, not the ID token");

        HttpResponse<String> ui = rp.userinfo((String) t.get("access_token"));
        assertEquals(200, ui.statusCode(), ui.body());
        Map<String, Object> u = RelyingParty.json(ui.body());
        // exactly the claims of the granted scopes, nothing more
        assertEquals(new TreeSet<>(Set.of("sub", "acr", "amr", "auth_time", "photo",
                "name", "given_name", "family_name", "birthdate", "gender",
                "address",
                "nationality", "place_of_birth", "card_number", "card_validity_begin", "card_validity_end",
                "card_delivery_municipality", "document_type")), new TreeSet<>(u.keySet()));
        assertEquals(id.getClaimValue("sub"), u.get("sub"));
        assertEquals("urn:be:idsvc:acr:sandbox-test", u.get("acr"));
        assertEquals(List.of("test"), u.get("amr"));
        // the demo home's first sandbox person, as CodeFlowIT sees her without a browser
        assertEquals("Alice Marie Specimen", u.get("name"));
        assertEquals("Alice Marie", u.get("given_name"));
        assertEquals("Specimen", u.get("family_name"));
        assertEquals("1985-03-14", u.get("birthdate"));
        assertEquals("female", u.get("gender"));
        assertEquals(Map.of("street_address", "Teststraat 12", "postal_code", "3000", "locality", "Leuven", "country", "BE"),
                u.get("address"));
        assertEquals("Belg", u.get("nationality"));
        assertEquals("Leuven", u.get("place_of_birth"));
        assertEquals("592100001223", u.get("card_number"));
        assertEquals("2022-05-02", u.get("card_validity_begin"));
        assertEquals("2032-05-02", u.get("card_validity_end"));
        assertEquals("Leuven", u.get("card_delivery_municipality"));
        assertEquals("1", u.get("document_type"));
        // the photo is the virtual card's photo file, as the verifier checked it against its hash
        assertEquals(RelyingParty.json(java.nio.file.Files.readString(s.home().resolve("sandbox/cards/alice/readout.json"))).get("photo"),
                u.get("photo"));
    }

    @Test
    void readoutJsReadsACardThroughTheExtensionApiAndTheServerVerifiesIt() throws Exception {
        RelyingParty rp = demoClient();
        Authorization auth = rp.authorization("openid profile");
        Map<String, Object> result = chromiumRun(auth, "card", "--card-dir", s.home().resolve("sandbox/cards/alice").toString());
        Map<String, String> callback = query(result);
        assertEquals(auth.state(), callback.get("state"));
        assertFalse(callback.containsKey("error"), callback.toString());

        HttpResponse<String> token = rp.token(callback.get("code"), auth.verifier());
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> t = RelyingParty.json(token.body());
        JwtClaims id = rp.verifyIdToken((String) t.get("id_token"), auth.nonce());
        // a home with virtual cards trusts demo roots: whatever is read there is a test identity
        assertEquals("urn:be:idsvc:acr:sandbox-test", id.getClaimValue("acr"));
        HttpResponse<String> ui = rp.userinfo((String) t.get("access_token"));
        assertEquals(200, ui.statusCode(), ui.body());
        Map<String, Object> u = RelyingParty.json(ui.body());
        assertEquals("Alice Marie Specimen", u.get("name"));
        assertEquals("1985-03-14", u.get("birthdate"));
        assertEquals(id.getClaimValue("sub"), u.get("sub"));
    }

    @Test
    void pinCancelledInTheExtensionShowsItsOwnPageAndThePersonCanLeave() {
        RelyingParty rp = demoClient();
        Authorization auth = rp.authorization("openid profile");
        Map<String, Object> result = chromiumRun(auth, "card-pin-cancelled", "--card-dir",
                s.home().resolve("sandbox/cards/alice").toString());
        assertEquals("pin_cancelled", result.get("problem"));
        Map<String, String> callback = query(result);
        assertEquals("access_denied", callback.get("error"));
        assertEquals(auth.state(), callback.get("state"));
        assertFalse(callback.containsKey("code"), callback.toString());
    }

    @Test
    void denyOnTheConsentPageAnswersAccessDeniedWithState() {
        RelyingParty rp = demoClient();
        Authorization auth = rp.authorization("openid profile");
        Map<String, String> callback = chromium(auth, "deny");
        assertEquals("access_denied", callback.get("error"));
        assertEquals(auth.state(), callback.get("state"));
        assertEquals(s.issuer(), callback.get("iss"));
        assertFalse(callback.containsKey("code"), callback.toString());
    }

    @Test
    void cancelOnTheIdentifyPageAnswersAccessDeniedWithState() {
        RelyingParty rp = demoClient();
        Authorization auth = rp.authorization("openid profile");
        Map<String, String> callback = chromium(auth, "cancel");
        assertEquals("access_denied", callback.get("error"));
        assertEquals(auth.state(), callback.get("state"));
        assertEquals(s.issuer(), callback.get("iss"));
        assertFalse(callback.containsKey("code"), callback.toString());
    }

    /**
     * The demo client redirecting to {@link #CALLBACK}. When the callback port is not the demo
     * home's 8765, the IT home's demo client also registers this callback (the registry re-reads
     * clients/ within a second), so parallel checkouts need not share port 8765.
     */
    private RelyingParty demoClient() {
        if (!CALLBACK.equals("http://127.0.0.1:8765/callback")) registerCallback();
        return new RelyingParty("demo-client", CALLBACK, s.mtlsBase(), s.sslContext(ServerUnderTest.DEMO_CLIENT));
    }

    private void registerCallback() {
        Path file = s.home().resolve("clients/demo-client.properties");
        try {
            String text = Files.readString(file);
            if (text.contains(CALLBACK)) return;
            Files.writeString(file, text.replaceFirst("(?m)^redirect_uris=(.*)$", "redirect_uris=$1 " + CALLBACK));
            Thread.sleep(be.idsvc.config.WatchedDirectory.CHECK_INTERVAL_MILLIS + 500);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the browser -------------------------------------------------------------------------

    /** Runs flow.mjs for {@code action}; returns the callback's query parameters. */
    private Map<String, String> chromium(Authorization auth, String action) {
        return query(chromiumRun(auth, action));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> query(Map<String, Object> result) {
        return (Map<String, String>) result.get("query");
    }

    /** Runs flow.mjs for {@code action}; returns its result (callback, query, screenshots, problem). */
    private Map<String, Object> chromiumRun(Authorization auth, String action, String... extra) {
        Path project = project();
        Path screenshots = project.resolve("target/screenshots").resolve(s.kind().property);
        List<String> command = new ArrayList<>(List.of("node", browserDir().resolve("flow.mjs").toString(),
                "--url", auth.url().toString(), "--callback", CALLBACK, "--screenshots", screenshots.toString(),
                "--ca", s.demoDir().resolve("ca.pem").toString(), "--action", action, "--chromium", CHROMIUM));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).directory(browserDir().toFile());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = pump(p.getInputStream(), out);
            Thread e = pump(p.getErrorStream(), err);
            if (!p.waitFor(FLOW_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("flow.mjs " + action + " did not finish in " + FLOW_TIMEOUT_SECONDS + " s; stderr:\n" + text(err));
            }
            o.join(5000);
            e.join(5000);
            if (p.exitValue() != 0) fail("flow.mjs " + action + " failed (exit " + p.exitValue() + "):\n" + text(err));
            Map<String, Object> result = RelyingParty.json(text(out).strip());
            String url = (String) result.get("callback");
            assertTrue(url.startsWith(CALLBACK + "?"), url);
            return result;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot run node flow.mjs", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static Path project() {
        return Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize();
    }

    private static Path browserDir() {
        return project().resolve("src/test/browser");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process ended
            }
        }, "flow-mjs-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
