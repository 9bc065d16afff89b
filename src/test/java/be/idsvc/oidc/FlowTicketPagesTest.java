package be.idsvc.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.identify.BrowserBinding;
import be.idsvc.admin.DemoHome;
import be.idsvc.config.DeploymentRole;
import be.idsvc.config.ServiceHome;
import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.store.FlowTickets;
import be.idsvc.app.ServiceComponents;
import jakarta.ws.rs.core.Response;

/** The pages refuse a ticket that is not this browser's, altered or expired, and end a flow once. */
class FlowTicketPagesTest {
    @TempDir
    static Path dir;
    static ServiceComponents c;

    @BeforeAll
    static void components() {
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        c = new ServiceComponents(DeploymentRole.PUBLIC, ServiceHome.at(home), ds, Clock.systemUTC());
    }

    static FlowTickets.Ticket ticket(String browser, long expiresAt) {
        return c.tickets.issue(new AuthorizationRequest("demo-client", "http://127.0.0.1:8765/callback", Set.of(Scope.OPENID),
                "st", "no", "challenge", Set.of(), -1, List.of()), browser, expiresAt);
    }

    static void assertPage(Response r, int status, String text) {
        assertEquals(status, r.getStatus());
        assertTrue(((String) r.getEntity()).contains(text), (String) r.getEntity());
    }

    static final String NOT_VALID = "This sign-in is no longer valid";
    static final String EXPIRED = "This sign-in has expired";

    @Test
    void aTicketFromAnotherBrowserATamperedOneAndAnExpiredOneAreRefusedOnEveryPage() {
        String browser = Secrets.newHandle();
        FlowTickets.Ticket t = ticket(browser, c.now() + 600);
        String other = Secrets.newHandle();
        byte[] raw = Base64.getUrlDecoder().decode(t.value());
        raw[raw.length / 2] ^= 1;
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String expired = ticket(browser, c.now() - 1).value();
        String csrf = BrowserBinding.csrfToken(browser, t.flowId());

        SandboxIdentifyPage identify = new SandboxIdentifyPage(c.browserFlow, c.settings);
        ReadoutPage readout = new ReadoutPage(c.browserFlow, c.settings);
        ConsentPage consent = new ConsentPage(c.browserFlow, c.settings);
        assertEquals(200, identify.show(t.value(), null, null, browser, PageRequests.noQuery()).getStatus());
        assertPage(identify.show(t.value(), null, null, other, PageRequests.noQuery()), 400, NOT_VALID);
        assertPage(identify.show(t.value(), null, null, null, PageRequests.noQuery()), 400, NOT_VALID);
        assertPage(identify.show(tampered, null, null, browser, PageRequests.noQuery()), 400, NOT_VALID);
        assertPage(identify.show(expired, null, null, browser, PageRequests.noQuery()), 400, EXPIRED);
        assertPage(readout.show(t.value(), null, null, other, PageRequests.noQuery()), 400, NOT_VALID);
        assertPage(readout.show(expired, null, null, browser, PageRequests.noQuery()), 400, EXPIRED);
        assertPage(consent.show(tampered, null, null, browser, PageRequests.noQuery()), 400, NOT_VALID);
        assertPage(consent.show(expired, null, null, browser, PageRequests.noQuery()), 400, EXPIRED);
        assertPage(identify.submit(PageRequests.form("flow", t.value(), "csrf", csrf, "action", "identify", "person", "alice", "lang", null), null, other), 400, NOT_VALID);
        assertPage(identify.submit(PageRequests.form("flow", expired, "csrf", csrf, "action", "identify", "person", "alice", "lang", null), null, browser), 400, EXPIRED);
        assertPage(consent.decide(PageRequests.form("flow", tampered, "csrf", csrf, "decision", "approve", "lang", null), null, browser), 400, NOT_VALID);
        assertPage(identify.submit(PageRequests.form("flow", t.value(), "csrf", BrowserBinding.csrfToken(other, t.flowId()), "action", "identify", "person", "alice", "lang", null), null, browser),
                403, "Request refused");
        assertPage(identify.show("x".repeat(10_000), null, null, browser, PageRequests.noQuery()), 400, NOT_VALID);
    }

    @Test
    void aCancelledFlowCannotBeIdentifiedAgainAndAnApprovedOneNotApprovedTwice() {
        String browser = Secrets.newHandle();
        SandboxIdentifyPage identify = new SandboxIdentifyPage(c.browserFlow, c.settings);
        ConsentPage consent = new ConsentPage(c.browserFlow, c.settings);

        FlowTickets.Ticket cancelled = ticket(browser, c.now() + 600);
        String csrf = BrowserBinding.csrfToken(browser, cancelled.flowId());
        Response cancel = identify.submit(PageRequests.form("flow", cancelled.value(), "csrf", csrf, "action", "cancel", "person", null, "lang", null), null, browser);
        assertEquals(303, cancel.getStatus());
        assertTrue(cancel.getLocation().toString().startsWith("http://127.0.0.1:8765/callback?error=access_denied&"));
        assertPage(identify.submit(PageRequests.form("flow", cancelled.value(), "csrf", csrf, "action", "identify", "person", "alice", "lang", null), null, browser), 400, NOT_VALID);
        assertPage(identify.show(cancelled.value(), null, null, browser, PageRequests.noQuery()), 400, NOT_VALID);
        assertPage(identify.submit(PageRequests.form("flow", cancelled.value(), "csrf", csrf, "action", "cancel", "person", null, "lang", null), null, browser), 400, NOT_VALID);

        FlowTickets.Ticket approved = ticket(browser, c.now() + 600);
        String csrf2 = BrowserBinding.csrfToken(browser, approved.flowId());
        assertEquals(400, consent.decide(PageRequests.form("flow", approved.value(), "csrf", csrf2, "decision", "approve", "lang", null), null, browser).getStatus(), "not identified yet");
        assertEquals(303, identify.submit(PageRequests.form("flow", approved.value(), "csrf", csrf2, "action", "identify", "person", "alice", "lang", null), null, browser).getStatus());
        assertEquals(200, consent.show(approved.value(), null, null, browser, PageRequests.noQuery()).getStatus());
        Response code = consent.decide(PageRequests.form("flow", approved.value(), "csrf", csrf2, "decision", "approve", "lang", null), null, browser);
        assertEquals(303, code.getStatus());
        Map<String, String> q = AnonymousRequestsTest.query(code.getLocation());
        assertEquals("st", q.get("state"));
        assertEquals(43, q.get("code").length());
        assertPage(consent.decide(PageRequests.form("flow", approved.value(), "csrf", csrf2, "decision", "approve", "lang", null), null, browser), 400, NOT_VALID);
        assertPage(identify.submit(PageRequests.form("flow", approved.value(), "csrf", csrf2, "action", "identify", "person", "alice", "lang", null), null, browser), 400, NOT_VALID);
    }
}
