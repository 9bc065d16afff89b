package be.idsvc.identify;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import be.idsvc.core.Identity;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.eid.Readout;
import be.idsvc.eid.ReadoutRejected;
import be.idsvc.eid.ReadoutVerifier;
import be.idsvc.eid.VerifiedCard;
import be.idsvc.store.ReadoutChallenges;

/**
 * Turns a posted card readout into an identity for a flow, or says why not. No servlet types, so
 * the decision is unit-tested; the readout page and the sandbox page both call it, so a virtual
 * card passes exactly the checks a real card passes.
 *
 * <p>Order: input that cannot be a readout at all (no challenge, bad base64, missing or oversized
 * fields) is refused before anything is touched; then the challenge is used up (whatever the
 * verdict, a challenge is single-use); then the card is verified against the flow's challenge.
 * Log lines carry the {@link ReadoutRejected.Reason} and its technical detail, never personal data.
 */
public final class ReadoutIdentification {
    private static final Logger LOG = Logger.getLogger(ReadoutIdentification.class.getName());
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** How a readout attempt ended. */
    public enum Kind {
        IDENTIFIED,
        /** Not a readout: missing or malformed fields (400, nothing changed). */
        BAD_INPUT,
        /** The page's script could not read the card ({@link Outcome#problem()} says why; nothing changed). */
        READER_PROBLEM,
        /** The challenge is unknown, used, expired or of another flow. */
        CHALLENGE_REFUSED,
        /** The card's readout failed a check. */
        CARD_REFUSED,
        /** This home has no eID trust configured. */
        UNAVAILABLE
    }

    public record Outcome(Kind kind, Identity identity, ReadoutRejected.Reason reason, ReaderProblem problem) {
        Outcome(Kind kind, Identity identity, ReadoutRejected.Reason reason) {
            this(kind, identity, reason, null);
        }

        static Outcome of(Kind kind) {
            return new Outcome(kind, null, null, null);
        }
    }

    private final EidTrustConfig eid;
    private final ReadoutChallenges challenges;

    public ReadoutIdentification(EidTrustConfig eid, ReadoutChallenges challenges) {
        this.eid = eid;
        this.challenges = challenges;
    }

    /**
     * @param fields          the posted form: {@code challenge} and BeIDConnect's fields ({@code id addr photo
     *                        idsig addrsig rrncert authcert cacert rootcert authsig}), or a non-empty {@code error}
     *                        ({@link ReaderProblem}) when the page's script could not read the card
     * @param allowWithoutPin the client's registration allows identification without the PIN signature
     * @param virtualCard     the card is a virtual card of the sandbox page (its identity carries the test acr);
     *                        a card read on the readout page gets it too when a sandbox anchor vouched for it
     */
    public Outcome identify(String flowId, Map<String, String> fields, boolean allowWithoutPin, boolean virtualCard, long now) {
        ReaderProblem problem = ReaderProblem.fromCode(fields.get("error"));
        if (problem != null) {
            // the code only: what the browser sent beyond it is not echoed into the log
            LOG.info(() -> "eID readout: the page could not read the card: " + problem.code());
            return new Outcome(Kind.READER_PROBLEM, null, null, problem);
        }
        Optional<ReadoutVerifier> verifier = eid.verifier();
        if (verifier.isEmpty()) {
            LOG.warning("eID readout refused: no RRN trust anchor in trust/eid/rrn-ca/");
            return Outcome.of(Kind.UNAVAILABLE);
        }
        String challenge = fields.get("challenge");
        if (challenge == null || !CHALLENGE.matcher(challenge).matches()) {
            LOG.info("eID readout refused: no well-formed challenge was posted");
            return Outcome.of(Kind.BAD_INPUT);
        }
        Readout readout;
        try {
            readout = Readout.fromFields(fields);
        } catch (ReadoutRejected e) {
            LOG.info("eID readout refused (bad input): " + e.getMessage());
            return new Outcome(Kind.BAD_INPUT, null, e.reason());
        }
        if (!challenges.consume(flowId, challenge, now)) {
            LOG.info("eID readout refused: the challenge is unknown, already used, expired or of another flow");
            return Outcome.of(Kind.CHALLENGE_REFUSED);
        }
        VerifiedCard card;
        try {
            card = verifier.get().verify(readout, Base64.getUrlDecoder().decode(challenge), !allowWithoutPin);
        } catch (ReadoutRejected e) {
            LOG.info("eID readout refused: " + e.getMessage());
            return new Outcome(Kind.CARD_REFUSED, null, e.reason());
        }
        Identity identity = virtualCard || eid.isSandboxCard(card.rrnCertificate()) ? EidIdentities.fromSandboxCard(card, now)
                : EidIdentities.fromCard(card, card.challengeVerified(), now);
        LOG.info(() -> "eID readout verified: " + card + ", acr " + identity.acr());
        return new Outcome(Kind.IDENTIFIED, identity, null);
    }
}
