package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.CARD_NUMBER_INVALID;

/**
 * The number of the card document (identity tag 1). A Belgian eID's: 12 digits whose last two are
 * the first ten modulo 97 — the remainder itself, not 97 minus it; a remainder of 0 is written
 * {@code 97} or {@code 00}. Residence cards of foreigners carry other formats (a letter, then
 * digits) whose check rule is not published: 1 to 16 upper-case letters and digits starting with a
 * letter are accepted without a check (the number is signed by the National Register anyway;
 * docs/decisions.md "Foreigner card numbers").
 */
public final class CardNumber {
    private static final java.util.regex.Pattern FOREIGNER = java.util.regex.Pattern.compile("[A-Z][A-Z0-9]{0,15}");

    private CardNumber() {}

    public static String check(String text) throws ReadoutRejected {
        if (!valid(text)) {
            throw new ReadoutRejected(CARD_NUMBER_INVALID,
                    "card number is neither 12 digits with a valid check nor a letter followed by up to 15 letters or digits");
        }
        return text;
    }

    public static boolean valid(String text) {
        if (text == null) return false;
        if (isTwelveDigits(text)) {
            long remainder = Long.parseLong(text.substring(0, 10)) % 97;
            int written = Integer.parseInt(text.substring(10));
            return remainder == 0 ? written == 97 || written == 0 : written == remainder;
        }
        return FOREIGNER.matcher(text).matches();
    }

    /** True for the Belgian eID format, the only one whose check digits are known and enforced. */
    public static boolean isTwelveDigits(String text) {
        if (text.length() != 12) return false;
        for (int i = 0; i < 12; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** The two check digits for ten digits, as a card would write them (97 for a remainder of 0). */
    public static String withCheck(String firstTenDigits) {
        long remainder = Long.parseLong(firstTenDigits) % 97;
        return firstTenDigits + String.format("%02d", remainder == 0 ? 97 : remainder);
    }
}
