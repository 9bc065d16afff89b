package be.idsvc.identify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import be.idsvc.core.AcrValues;
import be.idsvc.core.Identity;
import be.idsvc.eid.VerifiedCard;

/** The identity a verified card establishes: its claims, and how it was read (acr, amr). */
public final class EidIdentities {
    private EidIdentities() {}

    /** A real card read in the browser; {@code pin}: the card signed the flow's challenge after the PIN. */
    public static Identity fromCard(VerifiedCard card, boolean pin, long now) {
        return identity(card, pin ? AcrValues.EID_PIN : AcrValues.EID_NO_PIN, pin ? List.of("sc", "pin") : List.of("sc"), now);
    }

    /** A virtual sandbox card: verified like a real one, but never a real identification. */
    public static Identity fromSandboxCard(VerifiedCard card, long now) {
        return identity(card, AcrValues.SANDBOX_TEST, List.of("test"), now);
    }

    private static Identity identity(VerifiedCard card, String acr, List<String> amr, long now) {
        Map<String, Object> claims = new LinkedHashMap<>(card.claims());
        // carried by the identity itself, released only under its own scope
        String nationalNumber = (String) claims.remove("national_number");
        return new Identity(nationalNumber, claims, acr, amr, now);
    }
}
