package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** Unsigned identity and address files of public test cards, for the parser's edge cases. */
class TlvVariantsTest {
    private static IdentityFile identity(String name) throws ReadoutRejected {
        return IdentityFile.parse(Fixtures.bytes("tlv-variants", name));
    }

    @Test
    void extendedMinorityWithNobleConditionAndFrenchSeptember() throws Exception {
        IdentityFile f = identity("extended-minority.tlv");
        assertEquals(2, f.specialStatus());
        assertEquals("Comtesse", f.nobleCondition());
        assertEquals("1979-09-29", f.birthDate().toClaim());
        assertEquals(Gender.FEMALE, f.gender());
        assertEquals("Hélécine", f.placeOfBirth());
        assertEquals("Caroline Expirée2466", f.givenNames());
        assertEquals(LocalDate.of(2010, 8, 8), f.validityEnd());
        assertTrue(CardNumber.valid(f.cardNumber()));
        assertTrue(NationalNumber.checksumValid(f.nationalNumber()));
    }

    @Test
    void whiteCaneMale() throws Exception {
        IdentityFile f = identity("white-cane.tlv");
        assertEquals(1, f.specialStatus());
        assertEquals(Gender.MALE, f.gender());
        assertEquals("1971-01-21", f.birthDate().toClaim());
        assertEquals("Ottignies Louvain-la-neuve", f.placeOfBirth());
        assertTrue(NationalNumber.checksumValid(f.nationalNumber()));
    }

    @Test
    void yellowCane() throws Exception {
        IdentityFile f = identity("yellow-cane.tlv");
        assertEquals(4, f.specialStatus());
        assertEquals("1992-12-31", f.birthDate().toClaim());
        assertEquals(Gender.MALE, f.gender());
    }

    @Test
    void dayWithoutLeadingZero() throws Exception {
        IdentityFile f = identity("id-alice-2.tlv");
        assertEquals("1971-01-01", f.birthDate().toClaim());
        assertEquals(0, f.specialStatus());
        assertEquals("1", f.documentType());
        assertEquals(20, f.photoHash().length);
        assertEquals("534C494E33660029", f.chipNumberHex().substring(0, 16));
    }

    @Test
    void plainAlice() throws Exception {
        IdentityFile f = identity("id-alice.tlv");
        assertEquals("SPECIMEN", f.surname());
        assertEquals("Certipost Specimen", f.deliveryMunicipality());
        assertEquals("71715100070", f.nationalNumber());
    }

    @Test
    void paddedAddress() throws Exception {
        byte[] file = Fixtures.bytes("tlv-variants", "address-alice.tlv");
        AddressFile a = AddressFile.parse(file);
        assertEquals("Meirplaats 1 bus 1", a.streetAndNumber());
        assertEquals("2000", a.postalCode());
        assertEquals("Antwerpen", a.municipality());
        assertEquals(0x25, AddressFile.unpaddedLength(file));
    }
}
