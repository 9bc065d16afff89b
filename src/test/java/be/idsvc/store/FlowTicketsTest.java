package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.store.FlowTickets.Opened.Status;

class FlowTicketsTest {
    static final long NOW = 1_800_000_000L;
    final FlowTickets tickets = new FlowTickets(Secrets.sha256("service secret".getBytes()));
    final String browser = Secrets.newHandle();
    final AuthorizationRequest request = new AuthorizationRequest("demo-client", "http://127.0.0.1:8765/callback",
            Set.of(Scope.OPENID, Scope.PROFILE), "\u20ac state \u2028 \"quoted\"", null, "challenge-43", Set.of("login", "consent"), 30,
            List.of("nl-BE", "fr"));

    @Test
    void aTicketOpensInItsBrowserWithTheWholeRequest() {
        FlowTickets.Ticket t = tickets.issue(request, browser, NOW + 600);
        FlowTickets.Opened o = tickets.open(t.value(), browser, NOW);
        assertEquals(Status.VALID, o.status());
        assertEquals(request, o.ticket().request());
        assertNull(o.ticket().request().nonce());
        assertEquals(t.flowId(), o.ticket().flowId());
        assertEquals(NOW + 600, o.ticket().expiresAt());
        assertTrue(t.value().matches("[A-Za-z0-9_-]+"), "URL-safe as it is");
        assertNotEquals(t.flowId(), tickets.issue(request, browser, NOW + 600).flowId(), "every flow its own id");
        assertTrue(!t.value().contains("demo-client") && !new String(Base64.getUrlDecoder().decode(t.value())).contains("demo-client"),
                "sealed, not merely encoded");
    }

    @Test
    void aTicketFromAnotherBrowserATamperedOrForgedOneOpensNothing() {
        String t = tickets.issue(request, browser, NOW + 600).value();
        assertEquals(Status.INVALID, tickets.open(t, Secrets.newHandle(), NOW).status(), "another browser");
        assertEquals(Status.INVALID, tickets.open(t, null, NOW).status(), "no cookie");
        byte[] raw = Base64.getUrlDecoder().decode(t);
        for (int i = 0; i < raw.length; i += 7) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 1;
            assertEquals(Status.INVALID, tickets.open(Base64.getUrlEncoder().withoutPadding().encodeToString(tampered), browser, NOW).status(),
                    "byte " + i + " flipped");
        }
        assertEquals(Status.INVALID, tickets.open(t.substring(0, t.length() - 1), browser, NOW).status(), "truncated");
        assertEquals(Status.INVALID, new FlowTickets(new byte[32]).open(t, browser, NOW).status(), "another service's key");
        for (String junk : new String[] {"", "x", "%00%ff", "a".repeat(FlowTickets.MAX_TICKET_CHARS + 1), "====", "a b", Secrets.newHandle()}) {
            assertEquals(Status.INVALID, tickets.open(junk, browser, NOW).status(), junk.length() > 40 ? "long junk" : junk);
        }
    }

    @Test
    void anExpiredTicketIsToldApartFromAForeignOne() {
        String t = tickets.issue(request, browser, NOW + 600).value();
        assertEquals(Status.VALID, tickets.open(t, browser, NOW + 599).status());
        assertEquals(Status.EXPIRED, tickets.open(t, browser, NOW + 600).status());
        assertEquals(Status.INVALID, tickets.open(t, Secrets.newHandle(), NOW + 600).status(), "only a genuine ticket is 'expired'");
    }

    @Test
    void theLongestRequestStillFitsAUrl() {
        AuthorizationRequest longest = new AuthorizationRequest("demo-client", "http://127.0.0.1:8765/callback", Set.of(Scope.values()),
                "\u20ac".repeat(1024), "\u2028".repeat(512), "c".repeat(43), Set.of("login"), 999_999_999, List.of("nl-BE", "fr-BE", "de", "en"));
        String t = tickets.issue(longest, browser, NOW + 600).value();
        assertTrue(t.length() < 8000, "ticket of " + t.length() + " characters");
        assertEquals(longest, tickets.open(t, browser, NOW).ticket().request());
    }
}
