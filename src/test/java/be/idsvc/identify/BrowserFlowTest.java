package be.idsvc.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ClientRegistry;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.TestClock;
import be.idsvc.core.AcrValues;
import be.idsvc.core.AuthorizationError;
import be.idsvc.core.AuthorizationRequestValidator;
import be.idsvc.core.Flow;
import be.idsvc.core.Pkce;
import be.idsvc.core.Secrets;
import be.idsvc.identify.BrowserFlow.Approval;
import be.idsvc.identify.BrowserFlow.Attempt;
import be.idsvc.identify.BrowserFlow.SandboxResult;
import be.idsvc.identify.ReadoutIdentification.Kind;
import be.idsvc.store.FlowStore;
import be.idsvc.store.FlowStore.CodeLookup;
import be.idsvc.store.FlowTickets;
import be.idsvc.store.ReadoutChallenges;
import be.idsvc.store.StoreSchema;

/**
 * The browser sign-in, step by step and refusal by refusal, on the real demo home (its client, its
 * virtual cards and their sandbox anchors), a real H2 store and the real verifier; time is a clock
 * the test moves.
 */
class BrowserFlowTest {
    static final int FLOW_TTL = 600;
    static final int CODE_TTL = 60;
    static final String CALLBACK = "http://127.0.0.1:8765/callback";

    @TempDir
    static Path dir;
    static ServiceHome home;

    final TestClock clock = new TestClock();
    FlowStore store;

    @BeforeAll
    static void demoHome() {
        Path h = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(h, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        home = ServiceHome.at(h);
    }

    /** The flow service of a home with virtual cards (the demo home) or without (production: no RRN anchor it trusts). */
    BrowserFlow flows(boolean sandboxCards) throws Exception {
        Path settings = home.dir().resolve("idsvc.properties");
        Files.writeString(settings, Files.readString(settings)
                .replaceAll("(?m)^eid\\.sandbox_virtual_cards=.*$", "eid.sandbox_virtual_cards=" + sandboxCards));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        StoreSchema.create(ds);
        store = new FlowStore(ds);
        ClientRegistry clients = new ClientRegistry(home, clock);
        EidTrustConfig eid = new EidTrustConfig(home, clock);
        return new BrowserFlow(new AuthorizationRequestValidator(clients::find), new FlowTickets(key()), store,
                new ReadoutChallenges(key(), store), clients, eid,
                sandboxCards ? new SandboxCards(home.sandboxCardsDir()) : null, FLOW_TTL, CODE_TTL, clock);
    }

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    static Map<String, List<String>> request(String clientId, String redirectUri, String state) {
        Map<String, List<String>> p = new HashMap<>();
        p.put("response_type", List.of("code"));
        p.put("client_id", List.of(clientId));
        p.put("redirect_uri", List.of(redirectUri));
        p.put("scope", List.of("openid profile"));
        p.put("state", List.of(state));
        p.put("nonce", List.of("n-1"));
        p.put("code_challenge", List.of(Pkce.s256(Secrets.newHandle())));
        p.put("code_challenge_method", List.of("S256"));
        return p;
    }

    long now() {
        return clock.millis() / 1000;
    }

    /** A started flow of {@code browser}, as the pages find it. */
    Flow started(BrowserFlow flows, String browser) {
        BrowserFlow.Started s = flows.start(request("demo-client", CALLBACK, "st"), browser);
        return flows.find(s.ticket(), browser).flow();
    }

    /** What the readout page posts for the demo card {@code id} after it signed {@code challenge}. */
    static Map<String, String> readoutOf(String id, String challenge) throws Exception {
        SandboxCards.Card card = new SandboxCards(home.sandboxCardsDir()).find(id).orElseThrow();
        Map<String, String> f = new HashMap<>(card.readout().withAuthSignature(card.signChallenge(Base64.getUrlDecoder().decode(challenge))).toFields());
        f.put("challenge", challenge);
        return f;
    }

    // ---- start ------------------------------------------------------------------------------------

    @Test
    void startSealsTheRequestForThisBrowserAndStoresNothing() throws Exception {
        BrowserFlow flows = flows(true);
        String browser = Secrets.newHandle();
        BrowserFlow.Started s = flows.start(request("demo-client", CALLBACK, "st"), browser);
        assertFalse(s.unavailable());
        assertEquals(browser, s.browserSecret(), "the browser's own secret is kept");
        Flow flow = flows.find(s.ticket(), browser).flow();
        assertEquals(s.ticket(), flow.ticket());
        assertEquals("st", flow.request().state());
        assertEquals(now() + FLOW_TTL, flow.expiresAt());
        assertNull(flow.identity());
        assertTrue(store.findFlowProgress(flow.id(), browser, now()).isEmpty(), "nothing stored until the person acts");

        BrowserFlow.Started fresh = flows.start(request("demo-client", CALLBACK, "st"), null);
        assertEquals(43, fresh.browserSecret().length(), "a browser without a secret gets a new one");
        assertNotNull(flows.find(fresh.ticket(), fresh.browserSecret()).flow());
    }

    @Test
    void anInvalidRequestIsRefusedShownOrReturnedToTheClient() throws Exception {
        BrowserFlow flows = flows(true);
        AuthorizationError unknownClient = assertThrows(AuthorizationError.class,
                () -> flows.start(request("nobody", CALLBACK, "st"), null));
        assertNull(unknownClient.redirectUri(), "an unknown client is shown, never redirected to");
        Map<String, List<String>> noPkce = request("demo-client", CALLBACK, "st");
        noPkce.remove("code_challenge");
        AuthorizationError returned = assertThrows(AuthorizationError.class, () -> flows.start(noPkce, null));
        assertEquals(CALLBACK, returned.redirectUri());
        assertEquals("invalid_request", returned.code());
        assertEquals("st", returned.state());
    }

    @Test
    void aHomeWithoutAnyIdentificationMethodStartsNoFlow() throws Exception {
        BrowserFlow flows = flows(false);
        assertFalse(flows.canIdentify(), "outside a sandbox the demo anchors are not trusted and no card is offered");
        BrowserFlow.Started s = flows.start(request("demo-client", CALLBACK, "st"), Secrets.newHandle());
        assertTrue(s.unavailable());
        assertNull(s.ticket());
        assertEquals(CALLBACK, s.request().redirectUri());
    }

    // ---- find ---------------------------------------------------------------------------------------

    @Test
    void aTicketOpensOnlyInItsBrowserUnalteredAndInTime() throws Exception {
        BrowserFlow flows = flows(true);
        String browser = Secrets.newHandle();
        String ticket = flows.start(request("demo-client", CALLBACK, "st"), browser).ticket();
        assertNotNull(flows.find(ticket, browser).flow());
        assertEquals(new BrowserFlow.Found(null, false), flows.find(ticket, Secrets.newHandle()), "another browser");
        assertEquals(new BrowserFlow.Found(null, false), flows.find(ticket, null), "no cookie");
        byte[] raw = Base64.getUrlDecoder().decode(ticket);
        raw[raw.length / 2] ^= 1;
        assertEquals(new BrowserFlow.Found(null, false), flows.find(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), browser));
        assertEquals(new BrowserFlow.Found(null, false), flows.find(null, browser));
        assertEquals(new BrowserFlow.Found(null, false), flows.find("x".repeat(10_000), browser));
        clock.advance(Duration.ofSeconds(FLOW_TTL));
        assertEquals(new BrowserFlow.Found(null, true), flows.find(ticket, browser), "past its time: expired, not unknown");
        assertEquals(new BrowserFlow.Found(null, false), flows.find(ticket, Secrets.newHandle()), "expired is told only to its browser");
    }

    @Test
    void theCsrfTokenIsTheFlowsAndTheBrowsers() throws Exception {
        BrowserFlow flows = flows(true);
        String browser = Secrets.newHandle();
        Flow flow = started(flows, browser);
        Flow other = started(flows, browser);
        String token = flows.csrfToken(flow, browser);
        assertTrue(flows.csrfValid(flow, browser, token));
        assertFalse(flows.csrfValid(other, browser, token), "another flow's");
        assertFalse(flows.csrfValid(flow, Secrets.newHandle(), token), "another browser's");
        assertFalse(flows.csrfValid(flow, browser, flows.csrfToken(flow, Secrets.newHandle())));
        assertFalse(flows.csrfValid(flow, browser, null));
        assertFalse(flows.csrfValid(flow, null, token));
        assertEquals("demo-client", flows.client(flow).orElseThrow().clientId());
    }

    // ---- identify -----------------------------------------------------------------------------------

    @Test
    void aReadoutOfTheFlowsChallengeAttachesTheIdentityOnce() throws Exception {
        BrowserFlow flows = flows(true);
        assertTrue(flows.readoutAvailable());
        assertTrue(flows.sandbox());
        String browser = Secrets.newHandle();
        Flow flow = started(flows, browser);

        Map<String, String> noChallenge = readoutOf("alice", flows.issueChallenge(flow));
        noChallenge.remove("challenge");
        Attempt bad = flows.identifyByReadout(flow, browser, noChallenge);
        assertEquals(Kind.BAD_INPUT, bad.outcome().kind());
        assertFalse(bad.attached());
        assertFalse(bad.flowEnded());
        assertEquals(Kind.READER_PROBLEM, flows.identifyByReadout(flow, browser, Map.of("error", "no_card")).outcome().kind());
        Flow otherFlow = started(flows, browser);
        assertEquals(Kind.CHALLENGE_REFUSED,
                flows.identifyByReadout(flow, browser, readoutOf("alice", flows.issueChallenge(otherFlow))).outcome().kind(),
                "another flow's challenge");
        assertNull(flows.find(flow.ticket(), browser).flow().identity(), "nothing attached by a refusal");

        Map<String, String> posted = readoutOf("alice", flows.issueChallenge(flow));
        Attempt ok = flows.identifyByReadout(flow, browser, posted);
        assertEquals(Kind.IDENTIFIED, ok.outcome().kind());
        assertTrue(ok.attached());
        assertFalse(ok.flowEnded());
        var identity = flows.find(flow.ticket(), browser).flow().identity();
        assertEquals(AcrValues.SANDBOX_TEST, identity.acr(), "a card under a sandbox anchor is a test identification");
        assertEquals(Kind.CHALLENGE_REFUSED, flows.identifyByReadout(flow, browser, posted).outcome().kind(), "a challenge is single-use");

        clock.advance(Duration.ofSeconds(ReadoutChallenges.TTL_SECONDS + ReadoutChallenges.SKEW_SECONDS));
        Flow again = flows.find(flow.ticket(), browser).flow();
        String stale = flows.issueChallenge(again);
        Map<String, String> late = readoutOf("bob", stale);
        clock.advance(Duration.ofSeconds(ReadoutChallenges.TTL_SECONDS + ReadoutChallenges.SKEW_SECONDS));
        assertEquals(Kind.CHALLENGE_REFUSED, flows.identifyByReadout(again, browser, late).outcome().kind(), "an expired challenge");
    }

    @Test
    void aVirtualCardIsVerifiedLikeARealOneAndOnlyWhereOffered() throws Exception {
        BrowserFlow production = flows(false);
        assertTrue(production.sandboxCards().isEmpty());
        String browser = Secrets.newHandle();
        BrowserFlow flows = flows(true);
        assertTrue(flows.sandboxCards().orElseThrow().stream().map(SandboxCards.Listed::id).toList().containsAll(List.of("alice", "bob")));
        Flow flow = started(flows, browser);
        assertEquals(SandboxResult.NOT_OFFERED, production.identifyBySandboxCard(flow, browser, "alice"));
        assertEquals(SandboxResult.UNKNOWN_CARD, flows.identifyBySandboxCard(flow, browser, "nobody"));
        assertEquals(SandboxResult.UNKNOWN_CARD, flows.identifyBySandboxCard(flow, browser, "../../keys"));
        assertEquals(SandboxResult.UNKNOWN_CARD, flows.identifyBySandboxCard(flow, browser, null));
        assertNull(flows.find(flow.ticket(), browser).flow().identity());

        assertEquals(SandboxResult.REFUSED, flows.identifyBySandboxCard(flow, browser, forgedCard()), "the verifier checks a virtual card too");
        assertNull(flows.find(flow.ticket(), browser).flow().identity());

        assertEquals(SandboxResult.IDENTIFIED, flows.identifyBySandboxCard(flow, browser, "bob"));
        var identity = flows.find(flow.ticket(), browser).flow().identity();
        assertEquals(AcrValues.SANDBOX_TEST, identity.acr());
        assertEquals("Bob Specimen", identity.claims().get("name"));
        assertEquals(SandboxResult.IDENTIFIED, flows.identifyBySandboxCard(flow, browser, "alice"), "an undecided flow may identify again");
        assertNotEquals("70110200131", flows.find(flow.ticket(), browser).flow().identity().nationalNumber(), "Alice replaced Bob");

        assertTrue(flows.cancel(flow));
        assertEquals(SandboxResult.FLOW_ENDED, flows.identifyBySandboxCard(flow, browser, "alice"), "a decided flow takes no identity");
    }

    /** A copy of Alice's card carrying Bob's identity signature: readable, but its identity file is not signed by the RRN. */
    static String forgedCard() throws Exception {
        Path cards = home.sandboxCardsDir();
        Path forged = cards.resolve("mallory");
        if (Files.isDirectory(forged)) return "mallory";
        Files.createDirectories(forged);
        String aliceSig = SandboxCards.readFields(cards.resolve("alice/readout.json")).get("idsig");
        String bobSig = SandboxCards.readFields(cards.resolve("bob/readout.json")).get("idsig");
        String json = Files.readString(cards.resolve("alice/readout.json"));
        String swapped = json.replace(aliceSig, bobSig).replace(aliceSig.replace("/", "\\/"), bobSig.replace("/", "\\/"));
        assertNotEquals(json, swapped);
        Files.writeString(forged.resolve("readout.json"), swapped);
        Files.copy(cards.resolve("alice/auth-key.pem"), forged.resolve("auth-key.pem"));
        return "mallory";
    }

    // ---- decide -------------------------------------------------------------------------------------

    @Test
    void approvalIssuesOneCodeBoundToTheRequestAndOnlyForAnIdentifiedFlow() throws Exception {
        BrowserFlow flows = flows(true);
        String browser = Secrets.newHandle();
        Flow flow = started(flows, browser);
        assertEquals(new Approval(Approval.Status.NOT_IDENTIFIED, null), flows.approve(flow));
        assertEquals(SandboxResult.IDENTIFIED, flows.identifyBySandboxCard(flow, browser, "alice"));
        Flow identified = flows.find(flow.ticket(), browser).flow();

        Approval approval = flows.approve(identified);
        assertEquals(Approval.Status.APPROVED, approval.status());
        CodeLookup code = store.findCode(approval.code(), now());
        assertEquals(CodeLookup.Status.VALID, code.status());
        assertEquals("demo-client", code.grant().clientId());
        assertEquals(CALLBACK, code.grant().redirectUri());
        assertEquals(identified.request().codeChallenge(), code.grant().codeChallenge());
        assertEquals("n-1", code.grant().nonce());
        assertEquals(identified.identity(), code.grant().identity());
        assertEquals(CodeLookup.Status.EXPIRED, store.findCode(approval.code(), now() + CODE_TTL).status());

        assertEquals(new Approval(Approval.Status.FLOW_ENDED, null), flows.approve(identified), "decided once");
        assertFalse(flows.cancel(identified));
        assertEquals(new BrowserFlow.Found(null, false), flows.find(flow.ticket(), browser), "an approved flow is over");
    }

    @Test
    void cancellingEndsTheFlowOnceIdentifiedOrNot() throws Exception {
        BrowserFlow flows = flows(true);
        String browser = Secrets.newHandle();
        Flow fresh = started(flows, browser);
        assertTrue(flows.cancel(fresh));
        assertFalse(flows.cancel(fresh));
        assertEquals(new BrowserFlow.Found(null, false), flows.find(fresh.ticket(), browser));

        Flow identified = started(flows, browser);
        assertEquals(SandboxResult.IDENTIFIED, flows.identifyBySandboxCard(identified, browser, "alice"));
        Flow withIdentity = flows.find(identified.ticket(), browser).flow();
        assertNotNull(withIdentity.identity());
        assertTrue(flows.cancel(withIdentity));
        assertEquals(new Approval(Approval.Status.FLOW_ENDED, null), flows.approve(withIdentity), "a cancelled flow gets no code");
        assertEquals(SandboxResult.FLOW_ENDED, flows.identifyBySandboxCard(withIdentity, browser, "bob"));
    }
}
