package be.idsvc.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.identify.BrowserBinding;
import be.idsvc.admin.DemoHome;
import be.idsvc.config.DeploymentRole;
import be.idsvc.config.ServiceHome;
import be.idsvc.core.AcrValues;
import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Scope;
import be.idsvc.core.Identity;
import be.idsvc.core.Secrets;
import be.idsvc.store.FlowTickets;
import be.idsvc.app.ServiceComponents;
import jakarta.ws.rs.core.Response;

/** The identification page with and without virtual cards, on a real demo home and store. */
class SandboxIdentifyPageTest {
    @TempDir
    static Path dir;
    static Path home;

    static ServiceComponents components(boolean virtualCards) throws Exception {
        if (home == null) {
            home = dir.resolve("home");
            DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        }
        Path settings = home.resolve("idsvc.properties");
        Files.writeString(settings, Files.readString(settings)
                .replaceAll("(?m)^eid\\.sandbox_virtual_cards=.*$", "eid.sandbox_virtual_cards=" + virtualCards));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        return new ServiceComponents(DeploymentRole.PUBLIC, ServiceHome.at(home), ds, Clock.systemUTC());
    }

    static FlowTickets.Ticket flow(ServiceComponents c, String browser) {
        return c.tickets.issue(new AuthorizationRequest("demo-client", "http://127.0.0.1:8765/callback", Set.of(Scope.OPENID),
                "state", "nonce", "challenge", Set.of(), -1, List.of()), browser, c.now() + 600);
    }

    static Identity identity(ServiceComponents c, FlowTickets.Ticket t, String browser) {
        return c.store.findFlowProgress(t.flowId(), browser, c.now()).map(p -> p.identity()).orElse(null);
    }

    @Test
    void productionOffersNoVirtualCardAndRefusesAPostedOne() throws Exception {
        components(true);
        // outside a sandbox its demo anchors are not trusted: a production-like anchor keeps the readout on
        Files.writeString(home.resolve("trust/eid/rrn-ca/production-like-root.pem"), be.idsvc.pki.Pem.encode(
                be.idsvc.eid.virtual.VirtualCardIssuer.demoRoot("CN=Production-like Root, C=BE",
                        be.idsvc.eid.virtual.VirtualCardIssuer.KeyType.EC_P384).certificate()));
        ServiceComponents c = components(false);
        assertNull(c.sandboxCards);
        assertTrue(c.canIdentify(), "the eID readout remains");
        SandboxIdentifyPage page = new SandboxIdentifyPage(c.browserFlow, c.settings);
        String browser = Secrets.newHandle();
        FlowTickets.Ticket t = flow(c, browser);
        String ref = t.value();
        Response shown = page.show(ref, null, null, browser, noQuery());
        assertEquals(303, shown.getStatus());
        assertTrue(shown.getLocation().toString().endsWith("/readout?flow=" + ref + "&lang=en"), shown.getLocation().toString());
        Response posted = page.submit(form(ref, BrowserBinding.csrfToken(browser, t.flowId()), "identify", "alice", null), null, browser);
        assertEquals(400, posted.getStatus());
        assertTrue(((String) posted.getEntity()).contains("real eID cards only"));
        assertNull(identity(c, t, browser), "no identity attached");
    }

    @Test
    void aSandboxCardIsVerifiedAndAttachedWithTheTestAcr() throws Exception {
        ServiceComponents c = components(true);
        SandboxIdentifyPage page = new SandboxIdentifyPage(c.browserFlow, c.settings);
        String browser = Secrets.newHandle();
        FlowTickets.Ticket t = flow(c, browser);
        String ref = t.value();
        Response shown = page.show(ref, null, "nl", browser, noQuery());
        assertEquals(200, shown.getStatus());
        String html = (String) shown.getEntity();
        assertTrue(html.contains("<option value=\"alice\">TEST: Alice Marie Specimen (RSA-2048 card, female, born 1985)</option>"), html);
        assertTrue(html.contains("<option value=\"bob\">"));

        String csrf = BrowserBinding.csrfToken(browser, t.flowId());
        assertEquals(400, page.submit(form(ref, csrf, "identify", "../../keys", null), null, browser).getStatus());
        assertEquals(400, page.submit(form(ref, csrf, "identify", "nobody", null), null, browser).getStatus());
        assertEquals(403, page.submit(form(ref, "forged", "identify", "alice", null), null, browser).getStatus());
        assertNull(identity(c, t, browser));

        Response ok = page.submit(form(ref, csrf, "identify", "bob", "fr"), null, browser);
        assertEquals(303, ok.getStatus());
        assertTrue(ok.getLocation().toString().endsWith("/consent?flow=" + ref + "&lang=fr"));
        var identity = identity(c, t, browser);
        assertEquals(AcrValues.SANDBOX_TEST, identity.acr());
        assertEquals("Bob Specimen", identity.claims().get("name"));
        assertEquals("70110200131", identity.nationalNumber());
    }

    /** The page's form as the browser posts it; null values are left out. */
    private static jakarta.ws.rs.core.MultivaluedMap<String, String> form(String flow, String csrf, String action, String person, String lang) {
        var f = new jakarta.ws.rs.core.MultivaluedHashMap<String, String>();
        String[] pairs = {"flow", flow, "csrf", csrf, "action", action, "person", person, "lang", lang};
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) f.add(pairs[i], pairs[i + 1]);
        return f;
    }

    /** A request URI without repeated query parameters (the only part of it the page reads itself). */
    private static jakarta.ws.rs.core.UriInfo noQuery() {
        return (jakarta.ws.rs.core.UriInfo) java.lang.reflect.Proxy.newProxyInstance(jakarta.ws.rs.core.UriInfo.class.getClassLoader(),
                new Class<?>[] {jakarta.ws.rs.core.UriInfo.class},
                (proxy, method, args) -> method.getName().equals("getQueryParameters") ? new jakarta.ws.rs.core.MultivaluedHashMap<String, String>() : null);
    }
}
