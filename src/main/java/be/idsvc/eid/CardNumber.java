package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.CARD_NUMBER_INVALID;

/**
 * The number of the card document (identity tag 1): 12 digits whose last two are the first ten
 * modulo 97 — the remainder itself, not 97 minus it; a remainder of 0 is written {@code 97} or
 * {@code 00}.
 */
public final class CardNumber {
    private CardNumber() {}

    public static String check(String text) throws ReadoutRejected {
        if (!valid(text)) throw new ReadoutRejected(CARD_NUMBER_INVALID, "card number is not 12 digits with a valid check");
        return text;
    }

    public static boolean valid(String text) {
        if (text == null || text.length() != 12) return false;
        for (int i = 0; i < 12; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        long remainder = Long.parseLong(text.substring(0, 10)) % 97;
        int written = Integer.parseInt(text.substring(10));
        return remainder == 0 ? written == 97 || written == 0 : written == remainder;
    }

    /** The two check digits for ten digits, as a card would write them (97 for a remainder of 0). */
    public static String withCheck(String firstTenDigits) {
        long remainder = Long.parseLong(firstTenDigits) % 97;
        return firstTenDigits + String.format("%02d", remainder == 0 ? 97 : remainder);
    }
}
