package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardNumberTest {
    @ParameterizedTest
    // from the test cards: 10147 mod 97 = 59, 1280 mod 97 = 19, 12416 mod 97 = 0 written 00, 1221 mod 97 = 57
    @ValueSource(strings = {"000001014759", "000000128019", "000001241600", "000000122157", "000001241697"})
    void validNumbers(String n) throws Exception {
        assertTrue(CardNumber.valid(n));
        assertEquals(n, CardNumber.check(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000001014758", "000001014738" /* 97 - 59 would be wrong */, "000001241601", "00000101475",
            "0000010147590", "00000101475A", "",
            // not a foreigner format either: lower case, separators, too long, digits only of another length
            "b0123456789", "B 0123456789", "B-0123456789", "B01234567890123456", "1234567890", "É0123456789"})
    void invalidNumbers(String n) {
        assertFalse(CardNumber.valid(n));
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> CardNumber.check(n));
        assertEquals(ReadoutRejected.Reason.CARD_NUMBER_INVALID, e.reason());
    }

    @ParameterizedTest
    // residence cards of foreigners: a letter, then digits; no published check rule, accepted as signed
    @ValueSource(strings = {"B0123456789", "B00001014759", "A12345678", "F1234567890"})
    void foreignerFormatsAreAcceptedWithoutACheck(String n) throws Exception {
        assertTrue(CardNumber.valid(n));
        assertEquals(n, CardNumber.check(n));
        assertFalse(CardNumber.isTwelveDigits(n));
    }

    @Test
    void remainderZeroIsWritten97() {
        assertEquals("000001241697", CardNumber.withCheck("0000012416"));
        assertEquals("000001014759", CardNumber.withCheck("0000010147"));
    }
}
