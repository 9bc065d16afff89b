package be.idsvc.identify;

import java.util.Locale;

/**
 * What the readout page's script reports when the card could not be read: the {@code error} field of
 * the readout form, a small closed vocabulary (README "Readout form"). The script maps BeIDConnect's
 * results onto it; the server shows a page for each and logs only the code.
 */
public enum ReaderProblem {
    /** No BeIDConnect extension (or its native helper) answered. */
    NO_EXTENSION("no_extension", true),
    /** The extension answered but found no card reader. */
    NO_READER("no_reader", true),
    /** A reader, but no card in it (or a card it cannot read). */
    NO_CARD("no_card", true),
    /** The person cancelled the PIN dialog (or let it time out). */
    PIN_CANCELLED("pin_cancelled", true),
    /** A wrong PIN was typed (the card counts down to blocking it). */
    PIN_INCORRECT("pin_incorrect", true),
    /** The card's PIN is blocked after too many wrong tries: trying again cannot help. */
    PIN_BLOCKED("pin_blocked", false),
    /** Anything else the extension reported, including codes this server does not know. */
    OTHER("other", true);

    private final String code;
    private final boolean retryHelps;

    ReaderProblem(String code, boolean retryHelps) {
        this.code = code;
        this.retryHelps = retryHelps;
    }

    /** The code in the form, e.g. {@code pin_cancelled}. */
    public String code() {
        return code;
    }

    /** Whether reading the card again can succeed without the person first going elsewhere. */
    public boolean retryHelps() {
        return retryHelps;
    }

    /** Null when nothing was reported (an empty or absent field); an unknown code is {@link #OTHER}. */
    public static ReaderProblem fromCode(String code) {
        if (code == null || code.isEmpty()) return null;
        for (ReaderProblem p : values()) if (p.code.equals(code.toLowerCase(Locale.ROOT))) return p;
        return OTHER;
    }
}
