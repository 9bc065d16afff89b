package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BirthDateTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // French
        "01 JAN 1971|1971-01-01", "3 FEV 1980|1980-02-03", "15 MARS 1990|1990-03-15", "29 SEPT 1979|1979-09-29",
        "1 AOUT 2001|2001-08-01", "14 JUIL 1960|1960-07-14", "31 DEC 1992|1992-12-31", "10 AVR 1985|1985-04-10",
        "5 JUIN 2010|2010-06-05", "21 OCT 1944|1944-10-21",
        // Dutch
        "03 MEI 2001|2001-05-03", "21 AUG 1998|1998-08-21", "7 MAAR 1975|1975-03-07", "12 OKT 1966|1966-10-12",
        "29 FEB 2000|2000-02-29", "9 SEP 1999|1999-09-09", "30 JUN 1950|1950-06-30",
        // German
        "21.AUG.1998|1998-08-21", "21.AUG. 1998|1998-08-21", "1.MÄR.2003|2003-03-01", "24.DEZ. 1970|1970-12-24",
        "2.MAI.1988|1988-05-02",
    })
    void fullDates(String card, String claim) throws Exception {
        BirthDate d = BirthDate.parse(card);
        assertEquals(claim, d.toClaim());
        assertTrue(d.dayKnown());
        assertTrue(d.monthKnown());
    }

    @Test
    void yearAloneIsSpacePadded() throws Exception {
        BirthDate d = BirthDate.parse("       1956");
        assertEquals(1956, d.year());
        assertFalse(d.monthKnown());
        assertFalse(d.dayKnown());
        assertEquals("1956", d.toClaim());
        assertTrue(d.date().isEmpty());
    }

    @Test
    void unknownDayKeepsMonthButClaimsYearOnly() throws Exception {
        BirthDate d = BirthDate.parse("00 JAN 1956");
        assertTrue(d.monthKnown());
        assertFalse(d.dayKnown());
        assertEquals("1956", d.toClaim());
        BirthDate m = BirthDate.parse("JAN 1956");
        assertTrue(m.monthKnown());
        assertEquals("1956", m.toClaim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "31 FEB 2001", "32 JAN 2001", "01 XYZ 2001", "01 JAN 01", "01 JAN 2001 X",
            "1-1-2001", "00 00 20O1", "29 FEB 2001"})
    void rejectsOtherForms(String card) {
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> BirthDate.parse(card));
        assertEquals(ReadoutRejected.Reason.BIRTH_DATE_INVALID, e.reason());
    }

    @Test
    void toStringHidesTheDate() throws Exception {
        assertEquals("BirthDate[full]", BirthDate.parse("21 AUG 1998").toString());
    }
}
