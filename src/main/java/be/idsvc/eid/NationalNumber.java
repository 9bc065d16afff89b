package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.NATIONAL_NUMBER_INVALID;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A Belgian national register number (or BIS number): {@code YYMMDD SSS CC}.
 *
 * <p>The checksum always holds and is always checked: {@code CC = 97 - (YYMMDDSSS mod 97)}, computed
 * over {@code 2YYMMDDSSS} for births from 2000 on (which rule matched tells the century). The
 * date and the sequence rules are only checked in strict mode, because test cards break them on
 * purpose (month 71, 79, 92…) while their checksums are right.
 */
public final class NationalNumber {
    private final String value;
    private final boolean bornFrom2000;

    private NationalNumber(String value, boolean bornFrom2000) {
        this.value = value;
        this.bornFrom2000 = bornFrom2000;
    }

    /**
     * Parses and checks a national number.
     *
     * @param strict also require a possible birth date (month and day 00 meaning unknown, BIS month
     *               +20/+40) and a sequence number between 001 and 998
     */
    public static NationalNumber parse(String text, boolean strict) throws ReadoutRejected {
        if (text == null || text.length() != 11 || !allDigits(text)) {
            throw invalid("national number is not 11 digits");
        }
        long body = Long.parseLong(text.substring(0, 9));
        int check = Integer.parseInt(text.substring(9));
        boolean before2000 = 97 - (body % 97) == check;
        boolean from2000 = 97 - ((2_000_000_000L + body) % 97) == check;
        if (!before2000 && !from2000) throw invalid("national number checksum does not match");
        // never both: 2_000_000_000 is not a multiple of the prime 97, so the matching rule gives the century
        NationalNumber n = new NationalNumber(text, from2000);
        if (strict) n.checkStrict();
        return n;
    }

    /** True when the digits carry a valid checksum under either rule. */
    public static boolean checksumValid(String text) {
        try {
            parse(text, false);
            return true;
        } catch (ReadoutRejected e) {
            return false;
        }
    }

    private void checkStrict() throws ReadoutRejected {
        int month = rawMonth();
        if (month >= 40) month -= 40;
        else if (month >= 20) month -= 20;
        int day = Integer.parseInt(value.substring(4, 6));
        if (month > 12) throw invalid("national number month out of range");
        if (month != 0 && day != 0) {
            try {
                LocalDate.of(birthYear(), month, day);
            } catch (DateTimeException e) {
                throw invalid("national number date is impossible");
            }
        } else if (day > 31) {
            throw invalid("national number day out of range");
        }
        int sequence = sequence();
        if (sequence == 0 || sequence == 999) throw invalid("national number sequence out of range");
    }

    private int rawMonth() {
        return Integer.parseInt(value.substring(2, 4));
    }

    private int sequence() {
        return Integer.parseInt(value.substring(6, 9));
    }

    /** Month +20 or +40: a number given by the BIS register to people not in the national register. */
    public boolean isBis() {
        return rawMonth() >= 20 && rawMonth() < 60;
    }

    /** Birth year by the checksum rule; meaningless for test numbers with impossible dates. */
    public int birthYear() {
        return (bornFrom2000 ? 2000 : 1900) + Integer.parseInt(value.substring(0, 2));
    }

    /** Odd sequence numbers are given to men, even to women. Unknown for a BIS number with month +20,
     * whose gender was not known when it was given. */
    public Boolean sequenceSaysMale() {
        int m = rawMonth();
        if (m >= 20 && m < 40) return null;
        return sequence() % 2 == 1;
    }

    public String value() {
        return value;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static ReadoutRejected invalid(String why) {
        return new ReadoutRejected(NATIONAL_NUMBER_INVALID, why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NationalNumber n && n.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Never the digits: they identify a person and toString ends up in logs. */
    @Override
    public String toString() {
        return "NationalNumber[" + (isBis() ? "BIS" : "RRN") + "]";
    }
}
