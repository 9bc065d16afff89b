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
            "0000010147590", "00000101475A", "B00001014759", ""})
    void invalidNumbers(String n) {
        assertFalse(CardNumber.valid(n));
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> CardNumber.check(n));
        assertEquals(ReadoutRejected.Reason.CARD_NUMBER_INVALID, e.reason());
    }

    @Test
    void remainderZeroIsWritten97() {
        assertEquals("000001241697", CardNumber.withCheck("0000012416"));
        assertEquals("000001014759", CardNumber.withCheck("0000010147"));
    }
}
