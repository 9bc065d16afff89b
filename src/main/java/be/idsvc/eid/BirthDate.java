package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.BIRTH_DATE_INVALID;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The date of birth as printed on the card, which may lack the day or the month.
 *
 * <p>Forms on real cards: {@code 21 AUG 1998} / {@code 3 MEI 2001} (French or Dutch month
 * abbreviations, day with or without leading zero), {@code 21.AUG.1998} and {@code 21.AUG. 1998}
 * (German), and the year alone, space-padded, when day and month are unknown. Day or month
 * written {@code 00} is unknown too. Which parts are known is kept, because the OpenID
 * {@code birthdate} claim must not invent a day or month the register does not have.
 */
public final class BirthDate {
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("JAN", 1),
            Map.entry("FEV", 2), Map.entry("FÉV", 2), Map.entry("FEB", 2),
            Map.entry("MARS", 3), Map.entry("MAAR", 3), Map.entry("MÄR", 3), Map.entry("MAR", 3),
            Map.entry("AVR", 4), Map.entry("APR", 4),
            Map.entry("MAI", 5), Map.entry("MEI", 5),
            Map.entry("JUIN", 6), Map.entry("JUN", 6),
            Map.entry("JUIL", 7), Map.entry("JUL", 7),
            Map.entry("AOUT", 8), Map.entry("AOÛT", 8), Map.entry("AUG", 8),
            Map.entry("SEPT", 9), Map.entry("SEP", 9),
            Map.entry("OCT", 10), Map.entry("OKT", 10),
            Map.entry("NOV", 11),
            Map.entry("DEC", 12), Map.entry("DÉC", 12), Map.entry("DEZ", 12));

    private final int year;
    private final int month; // 0 = unknown
    private final int day;   // 0 = unknown

    private BirthDate(int year, int month, int day) {
        this.year = year;
        this.month = month;
        this.day = day;
    }

    /** A fully known date. */
    public static BirthDate of(int year, int month, int day) {
        LocalDate.of(year, month, day); // throws on impossible dates
        return new BirthDate(year, month, day);
    }

    /** Parses the text of identity tag 12. */
    public static BirthDate parse(String text) throws ReadoutRejected {
        if (text == null) throw invalid("absent");
        // the German forms only differ by dots; once they are spaces all forms split alike
        String[] parts = text.replace('.', ' ').trim().split(" +");
        try {
            if (parts.length == 1 && !parts[0].isEmpty()) {
                return new BirthDate(year(parts[0]), 0, 0);
            }
            if (parts.length == 2) {
                return known(year(parts[1]), month(parts[0]), 0);
            }
            if (parts.length == 3) {
                return known(year(parts[2]), month(parts[1]), day(parts[0]));
            }
        } catch (NumberFormatException | DateTimeException e) {
            // falls through to the single error below
        }
        throw invalid("not one of the card's date forms (" + parts.length + " parts)");
    }

    private static BirthDate known(int year, int month, int day) {
        if (month == 0 && day != 0) throw new DateTimeException("day without month");
        if (month != 0 && day != 0) LocalDate.of(year, month, day);
        return new BirthDate(year, month, day);
    }

    private static int year(String s) {
        if (s.length() != 4 || !digits(s)) throw new NumberFormatException();
        return Integer.parseInt(s);
    }

    private static int month(String s) {
        if (s.equals("00")) return 0;
        Integer m = MONTHS.get(s.toUpperCase(Locale.ROOT));
        if (m == null) throw new DateTimeException("unknown month");
        return m;
    }

    private static int day(String s) {
        if (s.isEmpty() || s.length() > 2 || !digits(s)) throw new NumberFormatException();
        int d = Integer.parseInt(s);
        if (d > 31) throw new DateTimeException("day");
        return d;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static ReadoutRejected invalid(String why) {
        return new ReadoutRejected(BIRTH_DATE_INVALID, "date of birth (tag 12) " + why);
    }

    public int year() {
        return year;
    }

    public boolean monthKnown() {
        return month != 0;
    }

    public boolean dayKnown() {
        return day != 0;
    }

    /** The full date, only when day and month are known. */
    public Optional<LocalDate> date() {
        return dayKnown() && monthKnown() ? Optional.of(LocalDate.of(year, month, day)) : Optional.empty();
    }

    /** OpenID Connect {@code birthdate}: {@code YYYY-MM-DD}, or {@code YYYY} when day or month is unknown
     * (the claim has no year-month form). */
    public String toClaim() {
        return date().map(LocalDate::toString).orElse(String.format(Locale.ROOT, "%04d", year));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BirthDate b && b.year == year && b.month == month && b.day == day;
    }

    @Override
    public int hashCode() {
        return (year * 13 + month) * 32 + day;
    }

    /** Deliberately without the date: this value is personal data and toString ends up in logs. */
    @Override
    public String toString() {
        return "BirthDate[" + (dayKnown() ? "full" : monthKnown() ? "month and year" : "year only") + "]";
    }
}
