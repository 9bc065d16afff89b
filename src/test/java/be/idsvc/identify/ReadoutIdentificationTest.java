package be.idsvc.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.core.AcrValues;
import be.idsvc.core.Secrets;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.eid.ReadoutRejected.Reason;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;
import be.idsvc.identify.ReadoutIdentification.Kind;
import be.idsvc.identify.ReadoutIdentification.Outcome;
import be.idsvc.pki.Pem;
import be.idsvc.store.FlowStore;
import be.idsvc.store.ReadoutChallenges;
import be.idsvc.store.StoreSchema;

/** The readout endpoint's decision, on a real store and the real verifier, with virtual cards. */
class ReadoutIdentificationTest {
    static final long NOW = System.currentTimeMillis() / 1000;
    static Authority root, rrn, citizenCa;
    static IssuedCard card;

    @TempDir
    static Path trustDir;

    FlowStore store;
    ReadoutChallenges challenges;
    ReadoutIdentification identification;
    final String flow = Secrets.newHandle();

    @BeforeAll
    static void pki() throws Exception {
        root = VirtualCardIssuer.demoRoot("CN=Test Root, C=BE", KeyType.EC_P384);
        rrn = VirtualCardIssuer.demoRrn(root, "CN=RRN, O=RRN, C=BE", KeyType.RSA_2048);
        citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=Test Citizen CA, C=BE", KeyType.EC_P384);
        card = new VirtualCardIssuer(rrn, citizenCa).issue(new VirtualPerson());
        Files.createDirectories(trustDir.resolve("rrn-ca"));
        Files.createDirectories(trustDir.resolve("citizen-ca"));
        Files.writeString(trustDir.resolve("rrn-ca/root.pem"), Pem.encode(root.certificate()));
        Files.writeString(trustDir.resolve("citizen-ca/ca.pem"), Pem.encode(citizenCa.certificate()));
    }

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        StoreSchema.create(ds);
        store = new FlowStore(ds);
        challenges = new ReadoutChallenges(new byte[32], store);
        identification = new ReadoutIdentification(EidTrustConfig.fromTrustDir(trustDir, true, Clock.systemUTC()), challenges);
    }

    /** What the page posts after the card signed {@code challenge}. */
    Map<String, String> posted(String challenge) throws Exception {
        Map<String, String> f = new HashMap<>(card.readoutSigning(Base64.getUrlDecoder().decode(challenge)).toFields());
        f.put("challenge", challenge);
        f.put("flow", flow);
        f.put("csrf", "x");
        return f;
    }

    String challenge() {
        return challenges.issue(flow, NOW);
    }

    @Test
    void aSignedChallengeIdentifiesWithThePin() throws Exception {
        Outcome o = identification.identify(flow, posted(challenge()), false, false, NOW);
        assertEquals(Kind.IDENTIFIED, o.kind());
        assertEquals(AcrValues.EID_PIN, o.identity().acr());
        assertEquals(List.of("sc", "pin"), o.identity().amr());
        assertEquals(new VirtualPerson().nationalNumber(), o.identity().nationalNumber());
        assertEquals("Virtual Card Specimen", o.identity().claims().get("name"));
        assertNull(o.identity().claims().get("national_number"), "the national number travels only as the identity's own field");
        assertEquals(NOW, o.identity().authTime());
    }

    @Test
    void aSandboxCardCarriesTheTestAcr() throws Exception {
        Outcome o = identification.identify(flow, posted(challenge()), false, true, NOW);
        assertEquals(AcrValues.SANDBOX_TEST, o.identity().acr());
        assertEquals(List.of("test"), o.identity().amr());
    }

    @Test
    void withoutAuthsigOnlyAClientAllowedWithoutPinGetsTheNoPinAcr() throws Exception {
        Map<String, String> f = posted(challenge());
        f.remove("authsig");
        Outcome refused = identification.identify(flow, f, false, false, NOW);
        assertEquals(Kind.CARD_REFUSED, refused.kind());
        assertEquals(Reason.CHALLENGE_SIGNATURE_MISSING, refused.reason());

        Map<String, String> g = posted(challenge());
        g.remove("authsig");
        Outcome o = identification.identify(flow, g, true, false, NOW);
        assertEquals(Kind.IDENTIFIED, o.kind());
        assertEquals(AcrValues.EID_NO_PIN, o.identity().acr());
        assertEquals(List.of("sc"), o.identity().amr());
    }

    @Test
    void aChallengeIsSingleUseAndBoundToItsFlow() throws Exception {
        Map<String, String> f = posted(challenge());
        assertEquals(Kind.IDENTIFIED, identification.identify(flow, f, false, false, NOW).kind());
        assertEquals(Kind.CHALLENGE_REFUSED, identification.identify(flow, f, false, false, NOW).kind(), "replayed");

        String foreign = challenges.issue(Secrets.newHandle(), NOW);
        assertEquals(Kind.CHALLENGE_REFUSED, identification.identify(flow, posted(foreign), false, false, NOW).kind());
        assertEquals(Kind.CHALLENGE_REFUSED, identification.identify(flow, posted(Secrets.newHandle()), false, false, NOW).kind(),
                "never issued");
    }

    @Test
    void aTamperedIdentityIsRefusedAndUsesTheChallengeUp() throws Exception {
        String challenge = challenge();
        Map<String, String> f = posted(challenge);
        byte[] id = Base64.getDecoder().decode(f.get("id"));
        id[20] ^= 1;
        f.put("id", Base64.getEncoder().encodeToString(id));
        Outcome o = identification.identify(flow, f, false, false, NOW);
        assertEquals(Kind.CARD_REFUSED, o.kind());
        assertEquals(Reason.IDENTITY_SIGNATURE_INVALID, o.reason());
        assertNull(o.identity());
        assertEquals(Kind.CHALLENGE_REFUSED, identification.identify(flow, posted(challenge), false, false, NOW).kind());
    }

    @Test
    void badInputIsRefusedBeforeTheChallengeIsTouched() throws Exception {
        String challenge = challenge();
        Map<String, String> f = posted(challenge);
        f.put("addr", "%%% not base64 %%%");
        Outcome o = identification.identify(flow, f, false, false, NOW);
        assertEquals(Kind.BAD_INPUT, o.kind());
        assertEquals(Reason.MALFORMED_BASE64, o.reason());
        Map<String, String> g = posted(challenge);
        g.remove("rrncert");
        assertEquals(Reason.MISSING_FIELD, identification.identify(flow, g, false, false, NOW).reason());
        Map<String, String> h = posted(challenge);
        h.put("challenge", "short");
        assertEquals(Kind.BAD_INPUT, identification.identify(flow, h, false, false, NOW).kind());
        assertEquals(Kind.IDENTIFIED, identification.identify(flow, posted(challenge), false, false, NOW).kind(),
                "bad input changed no state: the challenge still works");
    }

    @Test
    void noExtensionAndNoTrust() throws Exception {
        Outcome noExtension = identification.identify(flow, Map.of("error", "no_extension"), false, false, NOW);
        assertEquals(Kind.READER_PROBLEM, noExtension.kind());
        assertEquals(ReaderProblem.NO_EXTENSION, noExtension.problem());
        ReadoutIdentification none = new ReadoutIdentification(EidTrustConfig.fromTrustDir(trustDir.resolve("missing"), true, Clock.systemUTC()), challenges);
        assertEquals(Kind.UNAVAILABLE, none.identify(flow, posted(challenge()), false, false, NOW).kind());
    }

    @Test
    void theReaderProblemsTheScriptReportsAreEachTheirOwnAndUnknownCodesAreOther() throws Exception {
        String challenge = challenge();
        for (String code : new String[] {"no_reader", "no_card", "pin_cancelled", "pin_incorrect", "pin_blocked", "other"}) {
            Map<String, String> f = new java.util.HashMap<>(Map.of("error", code, "challenge", challenge));
            Outcome o = identification.identify(flow, f, false, false, NOW);
            assertEquals(Kind.READER_PROBLEM, o.kind());
            assertEquals(code, o.problem().code());
        }
        assertEquals(ReaderProblem.OTHER, identification.identify(flow, Map.of("error", "<script>"), false, false, NOW).problem());
        assertEquals(ReaderProblem.OTHER, identification.identify(flow, Map.of("error", "x".repeat(5000)), false, false, NOW).problem());
        assertEquals(Kind.IDENTIFIED, identification.identify(flow, posted(challenge), false, false, NOW).kind(),
                "a reported problem uses up nothing: the page's challenge still works");
        assertEquals(false, ReaderProblem.PIN_BLOCKED.retryHelps());
        assertEquals(true, ReaderProblem.PIN_CANCELLED.retryHelps());
    }
}
