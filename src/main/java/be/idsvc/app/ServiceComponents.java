package be.idsvc.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Base64;

import javax.sql.DataSource;

import be.idsvc.clientauth.ClientAuthenticator;
import be.idsvc.clientauth.TokenBindingCheck;
import be.idsvc.config.ClientCaStore;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ConfigurationException;
import be.idsvc.config.DeploymentRole;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.ServiceSettings;
import be.idsvc.config.SigningKeys;
import be.idsvc.core.AuthorizationRequestValidator;
import be.idsvc.core.PairwiseSubject;
import be.idsvc.identify.BrowserFlow;
import be.idsvc.core.Secrets;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.identify.SandboxCards;
import be.idsvc.revocation.RevocationChecker;
import be.idsvc.store.FlowStore;
import be.idsvc.store.FlowTickets;
import be.idsvc.store.ReadoutChallenges;
import be.idsvc.store.StoreDurability;
import be.idsvc.store.StoreProbe;
import be.idsvc.store.StoreSchema;
import be.idsvc.token.AuthorizationCodeGrant;
import be.idsvc.token.IdTokenIssuer;

/**
 * Everything one deployment needs, built once from the service home. Only {@link ServiceBootstrap}
 * hands these out, one by one: no endpoint sees this class.
 */
public final class ServiceComponents {
    public final DeploymentRole role;
    public final ServiceHome home;
    public final ServiceSettings settings;
    public final SigningKeys signingKeys;
    public final ClientRegistry clients;
    public final ClientAuthenticator clientAuthenticator;
    public final TokenBindingCheck tokenBinding;
    public final RevocationChecker revocation;
    public final FlowStore store;
    public final StoreProbe storeProbe;
    /** The request of a flow, sealed and bound to the browser: nothing is stored until the person acts. */
    public final FlowTickets tickets;
    /** Readout challenges checked without a lookup; only a presented one is recorded. */
    public final ReadoutChallenges challenges;
    public final AuthorizationRequestValidator authorizationRequests;
    public final AuthorizationCodeGrant codeGrant;
    public final EidTrustConfig eid;
    /** Null unless {@code eid.sandbox_virtual_cards=true}: production offers no virtual card. */
    public final SandboxCards sandboxCards;
    /** The browser sign-in: authorize, identify, consent. */
    public final BrowserFlow browserFlow;
    public final Clock clock;

    public ServiceComponents(DeploymentRole role, ServiceHome home, DataSource dataSource, Clock clock) {
        this.role = role;
        this.home = home;
        this.clock = clock;
        this.settings = ServiceSettings.load(home);
        this.signingKeys = SigningKeys.load(home, clock);
        this.clients = new ClientRegistry(home, clock);
        ClientCaStore cas = new ClientCaStore(home, clock);
        this.revocation = new RevocationChecker(settings.revocation(), home.crlDir(), cas::anchors, clock);
        this.clientAuthenticator = new ClientAuthenticator(clients, cas::anchors, revocation, clock);
        this.tokenBinding = new TokenBindingCheck(clientAuthenticator, home.pinnedDir());
        StoreDurability.check(dataSource);
        StoreSchema.create(dataSource);
        this.store = new FlowStore(dataSource);
        this.storeProbe = new StoreProbe(dataSource);
        this.authorizationRequests = new AuthorizationRequestValidator(clients::find);
        byte[] serviceSecret = pairwiseKey(home);
        this.tickets = new FlowTickets(derivedKey(serviceSecret, "flow-ticket"));
        this.challenges = new ReadoutChallenges(derivedKey(serviceSecret, "readout-challenge"), store);
        PairwiseSubject pairwise = new PairwiseSubject(serviceSecret);
        this.codeGrant = new AuthorizationCodeGrant(store,
                new IdTokenIssuer(settings.issuer(), signingKeys, settings.idTokenTtlSeconds()), pairwise,
                settings.accessTokenTtlSeconds());
        this.eid = new EidTrustConfig(home, clock);
        this.sandboxCards = eid.sandboxVirtualCards() ? new SandboxCards(home.sandboxCardsDir()) : null;
        this.browserFlow = new BrowserFlow(authorizationRequests, tickets, store, challenges, clients, eid, sandboxCards,
                settings.flowTtlSeconds(), settings.codeTtlSeconds(), clock);
    }

    /** Whether any identification method can work: virtual cards, or eID readout with an RRN anchor. */
    public boolean canIdentify() {
        return browserFlow.canIdentify();
    }

    public long now() {
        return clock.millis() / 1000;
    }

    /**
     * A key of its own for each use of the home's one service secret (keys/pairwise.secret, shared
     * by every deployment and node, never rotated since it fixes every pairwise sub), so a flow
     * ticket or challenge MAC reveals nothing about the pairwise key, nor one about the other.
     */
    private static byte[] derivedKey(byte[] serviceSecret, String use) {
        return Secrets.hmacSha256(serviceSecret, ("idsvc derived key v1: " + use).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] pairwiseKey(ServiceHome home) {
        try {
            byte[] key = Base64.getUrlDecoder().decode(Files.readString(home.pairwiseSecretFile(), StandardCharsets.US_ASCII).trim());
            if (key.length < 32) throw new ConfigurationException(home.pairwiseSecretFile() + " must hold at least 32 bytes");
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("cannot read " + home.pairwiseSecretFile() + ": " + e.getMessage());
        }
    }
}
