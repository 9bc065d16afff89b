package be.idsvc.identify;

import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ConfigurationException;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.core.AuthorizationError;
import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.AuthorizationRequestValidator;
import be.idsvc.core.Client;
import be.idsvc.core.CodeGrant;
import be.idsvc.core.Flow;
import be.idsvc.core.Secrets;
import be.idsvc.eid.ReadoutRejected;
import be.idsvc.identify.ReadoutIdentification.Kind;
import be.idsvc.identify.ReadoutIdentification.Outcome;
import be.idsvc.store.FlowStore;
import be.idsvc.store.FlowStore.FlowProgress;
import be.idsvc.store.FlowTickets;
import be.idsvc.store.ReadoutChallenges;

/**
 * The browser sign-in, in order: {@link #start} (authorize: a sealed ticket bound to the browser,
 * nothing stored), {@link #find} (every page: the ticket opens only in its browser, a decided flow
 * is over), {@link #issueChallenge} and {@link #identifyByReadout} or {@link #identifyBySandboxCard}
 * (the identity is attached to the flow), then {@link #approve} (the code) or {@link #cancel}
 * (deny, cancel). Each decision is taken once: the store records it. The pages only parse the
 * request, call this, and render what it answers; no servlet or JAX-RS type is seen here.
 *
 * <p>Lifetimes: a flow lives {@code flow_ttl_seconds} from authorize (the ticket's expiry, also the
 * expiry of what the store keeps of it); a code {@code code_ttl_seconds}; a readout challenge
 * {@link ReadoutChallenges#TTL_SECONDS}.
 */
public final class BrowserFlow {
    private static final Logger LOG = Logger.getLogger(BrowserFlow.class.getName());

    private final AuthorizationRequestValidator requests;
    private final FlowTickets tickets;
    private final FlowStore store;
    private final ReadoutChallenges challenges;
    private final ClientRegistry clients;
    private final EidTrustConfig eid;
    /** Null unless {@code eid.sandbox_virtual_cards=true}: production offers no virtual card. */
    private final SandboxCards sandboxCards;
    private final int flowTtlSeconds;
    private final int codeTtlSeconds;
    private final Clock clock;

    public BrowserFlow(AuthorizationRequestValidator requests, FlowTickets tickets, FlowStore store, ReadoutChallenges challenges,
            ClientRegistry clients, EidTrustConfig eid, SandboxCards sandboxCards, int flowTtlSeconds, int codeTtlSeconds, Clock clock) {
        this.requests = requests;
        this.tickets = tickets;
        this.store = store;
        this.challenges = challenges;
        this.clients = clients;
        this.eid = eid;
        this.sandboxCards = sandboxCards;
        this.flowTtlSeconds = flowTtlSeconds;
        this.codeTtlSeconds = codeTtlSeconds;
        this.clock = clock;
    }

    // ---- start ------------------------------------------------------------------------------------

    /**
     * A started flow: the request, the ticket the browser carries and the browser secret it is
     * sealed for (the cookie's, or a new one). No ticket when no identification method is enabled.
     */
    public record Started(AuthorizationRequest request, String ticket, String browserSecret) {
        public boolean unavailable() {
            return ticket == null;
        }
    }

    /**
     * Validates an authorization request and starts its flow. Nothing is stored: the request travels
     * sealed with this browser until the person acts.
     *
     * @param browserSecret the browser's secret ({@link BrowserBinding#secretFrom}), null if it has none
     * @throws AuthorizationError the request is invalid (shown, or returned to the client)
     */
    public Started start(Map<String, List<String>> params, String browserSecret) {
        AuthorizationRequest request = requests.validate(params);
        if (!canIdentify()) return new Started(request, null, null);
        String secret = browserSecret == null ? Secrets.newHandle() : browserSecret;
        String ticket = tickets.issue(request, secret, now() + flowTtlSeconds).value();
        return new Started(request, ticket, secret);
    }

    /** Whether any identification method can work: virtual cards, or eID readout with an RRN anchor. */
    public boolean canIdentify() {
        return sandboxCards != null || readoutAvailable();
    }

    // ---- the flow of this browser ---------------------------------------------------------------------

    /** The flow of this browser (null if none), and whether the ticket was a genuine one of this browser past its time. */
    public record Found(Flow flow, boolean expired) {}

    /**
     * Opens the ticket with this browser's secret (a foreign, forged or tampered ticket finds
     * nothing), then asks the store what the person did so far: a decided flow is over.
     */
    public Found find(String ticket, String browserSecret) {
        long now = now();
        FlowTickets.Opened opened = tickets.open(ticket, browserSecret, now);
        if (opened.status() == FlowTickets.Opened.Status.EXPIRED) return new Found(null, true);
        if (opened.status() != FlowTickets.Opened.Status.VALID) return new Found(null, false);
        FlowTickets.Ticket t = opened.ticket();
        Optional<FlowProgress> progress = store.findFlowProgress(t.flowId(), browserSecret, now);
        if (progress.isPresent() && progress.get().decided()) return new Found(null, false);
        return new Found(new Flow(t.value(), t.flowId(), t.request(), t.expiresAt(), progress.map(FlowProgress::identity).orElse(null)),
                false);
    }

    /** The CSRF token of the flow's forms: bound to the browser and to the flow. */
    public String csrfToken(Flow flow, String browserSecret) {
        return BrowserBinding.csrfToken(browserSecret, flow.id());
    }

    public boolean csrfValid(Flow flow, String browserSecret, String token) {
        return BrowserBinding.csrfValid(browserSecret, flow.id(), token);
    }

    /** The client that asked, if it is still registered. */
    public Optional<Client> client(Flow flow) {
        return clients.find(flow.request().clientId());
    }

    // ---- identify ---------------------------------------------------------------------------------

    /** Whether the eID readout can verify a card: an RRN trust anchor is configured. */
    public boolean readoutAvailable() {
        return eid.verifier().isPresent();
    }

    /** Whether this home is a sandbox ({@code eid.sandbox_virtual_cards=true}): its pages are marked as tests. */
    public boolean sandbox() {
        return eid.sandboxVirtualCards();
    }

    /** The virtual test cards offered, or empty when the home offers none (production). */
    public Optional<List<SandboxCards.Listed>> sandboxCards() {
        return sandboxCards == null ? Optional.empty() : Optional.of(sandboxCards.all());
    }

    /** A fresh challenge for the card to sign; made, not stored: only a readout that presents it is recorded. */
    public String issueChallenge(Flow flow) {
        return challenges.issue(flow.id(), now());
    }

    /** How an identification ended: the readout's outcome, and whether its identity is now the flow's. */
    public record Attempt(Outcome outcome, boolean attached) {
        /** Identified, but the flow was decided meanwhile: nothing attached. */
        public boolean flowEnded() {
            return outcome.kind() == Kind.IDENTIFIED && !attached;
        }
    }

    /**
     * Verifies a posted card readout ({@link ReadoutIdentification}) and attaches its identity to
     * the flow. Which acr the card earns is decided by the anchor that vouched for it, not by the home.
     */
    public Attempt identifyByReadout(Flow flow, String browserSecret, Map<String, String> fields) {
        boolean allowWithoutPin = client(flow).map(Client::allowWithoutPin).orElse(false);
        long now = now();
        Outcome outcome = new ReadoutIdentification(eid, challenges).identify(flow.id(), fields, allowWithoutPin, false, now);
        return new Attempt(outcome, outcome.kind() == Kind.IDENTIFIED && attach(flow, browserSecret, outcome, now));
    }

    /** Why a virtual test card identified nobody, or that it did. */
    public enum SandboxResult {
        IDENTIFIED,
        /** This home offers no virtual card (production): a posted one is refused. */
        NOT_OFFERED,
        /** No such test card (or its file is broken). */
        UNKNOWN_CARD,
        /** The card cannot sign the challenge (its key or readout is broken). */
        CANNOT_SIGN,
        /** The card's readout failed a check of the verifier. */
        REFUSED,
        /** Identified, but the flow was decided meanwhile. */
        FLOW_ENDED
    }

    /**
     * A picked virtual card is not taken on trust: it signs a fresh challenge of the flow with its
     * authentication key, as a real card does after the PIN, and passes the same
     * {@link ReadoutIdentification} (and so the same verifier) as a real card.
     */
    public SandboxResult identifyBySandboxCard(Flow flow, String browserSecret, String cardId) {
        if (sandboxCards == null) {
            LOG.warning("a virtual test card was posted to a home without eid.sandbox_virtual_cards=true: refused");
            return SandboxResult.NOT_OFFERED;
        }
        Optional<SandboxCards.Card> card;
        try {
            card = sandboxCards.find(cardId);
        } catch (ConfigurationException e) {
            LOG.warning(e.getMessage());
            card = Optional.empty();
        }
        if (card.isEmpty()) return SandboxResult.UNKNOWN_CARD;

        long now = now();
        String challenge = challenges.issue(flow.id(), now);
        Map<String, String> fields;
        try {
            fields = card.get().readout().withAuthSignature(card.get().signChallenge(Base64.getUrlDecoder().decode(challenge))).toFields();
        } catch (ReadoutRejected | ConfigurationException e) {
            LOG.warning("sandbox card " + card.get().id() + " cannot sign: " + e.getMessage());
            return SandboxResult.CANNOT_SIGN;
        }
        fields.put("challenge", challenge);
        Outcome outcome = new ReadoutIdentification(eid, challenges).identify(flow.id(), fields, false, true, now);
        if (outcome.kind() != Kind.IDENTIFIED) {
            LOG.warning("sandbox card " + card.get().id() + " refused: " + outcome.kind() + " " + outcome.reason());
            return SandboxResult.REFUSED;
        }
        return attach(flow, browserSecret, outcome, now) ? SandboxResult.IDENTIFIED : SandboxResult.FLOW_ENDED;
    }

    private boolean attach(Flow flow, String browserSecret, Outcome identified, long now) {
        return store.attachIdentity(flow.id(), browserSecret, identified.identity(), flow.expiresAt(), now);
    }

    // ---- decide -----------------------------------------------------------------------------------

    /** What approving gave: the code, or why none. */
    public record Approval(Status status, String code) {
        public enum Status { APPROVED, NOT_IDENTIFIED, FLOW_ENDED }
    }

    /**
     * The person approves: the decision is recorded first (of two approvals of one flow, one gets a
     * code), then the code is issued, bound to the request's client, redirect URI, PKCE challenge and nonce.
     */
    public Approval approve(Flow flow) {
        if (flow.identity() == null) return new Approval(Approval.Status.NOT_IDENTIFIED, null);
        if (!store.decideFlow(flow.id(), true, flow.expiresAt(), now())) return new Approval(Approval.Status.FLOW_ENDED, null);
        AuthorizationRequest r = flow.request();
        String code = store.issueCode(new CodeGrant(r.clientId(), r.redirectUri(), r.codeChallenge(), r.nonce(), r.scopes(),
                flow.identity()), now() + codeTtlSeconds);
        return new Approval(Approval.Status.APPROVED, code);
    }

    /**
     * The person declines (deny on consent, cancel on the identification pages): the flow ends, a
     * tombstone until the ticket expires, so the same ticket can be neither identified nor decided
     * again. False when the flow was decided already.
     */
    public boolean cancel(Flow flow) {
        return store.decideFlow(flow.id(), false, flow.expiresAt(), now());
    }

    private long now() {
        return clock.millis() / 1000;
    }
}
