package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NationalNumberTest {
    /** 97 - (body mod 97), over 2 followed by the body for births from 2000 on. */
    private static String withCheck(String body, boolean from2000) {
        long b = Long.parseLong(body) + (from2000 ? 2_000_000_000L : 0);
        return body + String.format("%02d", 97 - b % 97);
    }

    @Test
    void before2000() throws Exception {
        NationalNumber n = NationalNumber.parse("98082100029", false);
        assertEquals(1998, n.birthYear());
        assertFalse(n.isBis());
        assertEquals(Boolean.FALSE, n.sequenceSaysMale()); // sequence 000 is even
        // the test card's sequence 000 is never given to a real person
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> NationalNumber.parse("98082100029", true));
        assertEquals("NATIONAL_NUMBER_INVALID: national number sequence out of range", e.getMessage());
        assertEquals(1998, NationalNumber.parse(withCheck("980821123", false), true).birthYear());
    }

    @Test
    void from2000UsesTheLeading2() throws Exception {
        NationalNumber n = NationalNumber.parse("01050399963", false);
        assertEquals(2001, n.birthYear());
        assertEquals(Boolean.TRUE, n.sequenceSaysMale());
        String generated = withCheck("050607123", true);
        assertEquals(2005, NationalNumber.parse(generated, true).birthYear());
        String old = withCheck("850607124", false);
        NationalNumber o = NationalNumber.parse(old, true);
        assertEquals(1985, o.birthYear());
        assertEquals(Boolean.FALSE, o.sequenceSaysMale());
    }

    @Test
    void bisMonthPlus20AndPlus40() throws Exception {
        NationalNumber plus40 = NationalNumber.parse(withCheck("854607123", false), true);
        assertTrue(plus40.isBis());
        assertEquals(Boolean.TRUE, plus40.sequenceSaysMale());
        NationalNumber plus20 = NationalNumber.parse(withCheck("852607123", false), true);
        assertTrue(plus20.isBis());
        assertNull(plus20.sequenceSaysMale(), "gender unknown when the BIS number was given");
        NationalNumber unknownDate = NationalNumber.parse(withCheck("852000123", false), true);
        assertTrue(unknownDate.isBis());
    }

    @Test
    void testCardNumbersPassLenientButNotStrict() throws Exception {
        assertEquals("71715100070", NationalNumber.parse("71715100070", false).value());
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> NationalNumber.parse("71715100070", true));
        assertEquals(ReadoutRejected.Reason.NATIONAL_NUMBER_INVALID, e.reason());
        assertEquals("NATIONAL_NUMBER_INVALID: national number month out of range", e.getMessage());
    }

    @Test
    void strictRejectsImpossibleDayAndSequence() {
        assertEquals(ReadoutRejected.Reason.NATIONAL_NUMBER_INVALID,
                assertThrows(ReadoutRejected.class, () -> NationalNumber.parse(withCheck("850230123", false), true)).reason());
        assertEquals(ReadoutRejected.Reason.NATIONAL_NUMBER_INVALID,
                assertThrows(ReadoutRejected.class, () -> NationalNumber.parse(withCheck("850207000", false), true)).reason());
        assertDoesNotThrowLenient(withCheck("850230123", false));
    }

    private static void assertDoesNotThrowLenient(String n) {
        assertTrue(NationalNumber.checksumValid(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"98082100028", "01050399964", "9808210002", "980821000290", "9808210002X", "", "01050399962"})
    void badChecksumOrFormIsRejectedEvenLenient(String n) {
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> NationalNumber.parse(n, false));
        assertEquals(ReadoutRejected.Reason.NATIONAL_NUMBER_INVALID, e.reason());
        assertFalse(e.getMessage().contains(n.isEmpty() ? "\u0000" : n), "no national number in the message");
    }

    @Test
    void toStringHidesTheDigits() throws Exception {
        assertEquals("NationalNumber[RRN]", NationalNumber.parse("98082100029", false).toString());
    }
}
