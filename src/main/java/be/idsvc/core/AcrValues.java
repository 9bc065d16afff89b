package be.idsvc.core;

/** The {@code acr} values this service issues. A sandbox identity is never mistaken for a card. */
public final class AcrValues {
    private AcrValues() {}

    /** Belgian eID read in the browser, with a challenge signed by the card after the PIN. */
    public static final String EID_PIN = "urn:be:idsvc:acr:eid-pin";
    /** Belgian eID read without a PIN signature, for clients registered to allow it. */
    public static final String EID_NO_PIN = "urn:be:idsvc:acr:eid-nopin";
    /** A configured sandbox test person: not a real identification. */
    public static final String SANDBOX_TEST = "urn:be:idsvc:acr:sandbox-test";
}
