package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.CARD_DATE_INVALID;
import static be.idsvc.eid.ReadoutRejected.Reason.IDENTITY_FIELD_MISSING;
import static be.idsvc.eid.ReadoutRejected.Reason.TLV_MALFORMED;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * The identity file (card file 4031) read into named fields. Parsing checks form only; checksums,
 * dates against the clock and signatures are the verifier's job.
 */
public final class IdentityFile {
    public static final int CARD_NUMBER = 1, CHIP_NUMBER = 2, VALIDITY_BEGIN = 3, VALIDITY_END = 4,
            DELIVERY_MUNICIPALITY = 5, NATIONAL_NUMBER = 6, SURNAME = 7, GIVEN_NAMES = 8,
            THIRD_GIVEN_NAME_INITIAL = 9, NATIONALITY = 10, PLACE_OF_BIRTH = 11, BIRTH_DATE = 12,
            GENDER = 13, NOBLE_CONDITION = 14, DOCUMENT_TYPE = 15, SPECIAL_STATUS = 16, PHOTO_HASH = 17,
            DUPLICATE = 18, SPECIAL_ORGANISATION = 19, MEMBER_OF_FAMILY = 20, DATE_AND_COUNTRY_OF_PROTECTION = 21,
            WORK_PERMIT = 22, EMPLOYER_VAT_1 = 23, EMPLOYER_VAT_2 = 24, REGIONAL_FILE_NUMBER = 25,
            BASIC_KEY_HASH = 26;

    private final TlvParser.Tlv tlv;
    private final LocalDate validityBegin;
    private final LocalDate validityEnd;
    private final BirthDate birthDate;
    private final Gender gender;
    private final int specialStatus;

    private IdentityFile(TlvParser.Tlv tlv) throws ReadoutRejected {
        this.tlv = tlv;
        for (int tag : new int[] {CARD_NUMBER, VALIDITY_BEGIN, VALIDITY_END, NATIONAL_NUMBER, SURNAME, BIRTH_DATE, GENDER, PHOTO_HASH}) {
            if (!tlv.has(tag)) throw new ReadoutRejected(IDENTITY_FIELD_MISSING, "identity file has no tag " + tag);
        }
        this.validityBegin = cardDate(VALIDITY_BEGIN);
        this.validityEnd = cardDate(VALIDITY_END);
        this.birthDate = BirthDate.parse(tlv.text(BIRTH_DATE));
        this.gender = Gender.fromCard(tlv.text(GENDER));
        this.specialStatus = specialStatus(tlv.text(SPECIAL_STATUS));
    }

    public static IdentityFile parse(byte[] file) throws ReadoutRejected {
        return new IdentityFile(TlvParser.parse(file, "identity file"));
    }

    private LocalDate cardDate(int tag) throws ReadoutRejected {
        String s = tlv.text(tag);
        // DD.MM.YYYY, as printed on the card
        if (s.length() == 10 && s.charAt(2) == '.' && s.charAt(5) == '.') {
            try {
                return LocalDate.of(Integer.parseInt(s.substring(6)), Integer.parseInt(s.substring(3, 5)),
                        Integer.parseInt(s.substring(0, 2)));
            } catch (NumberFormatException | DateTimeException e) {
                // reported below
            }
        }
        throw new ReadoutRejected(CARD_DATE_INVALID, "identity tag " + tag + " is not a DD.MM.YYYY date");
    }

    private static int specialStatus(String s) throws ReadoutRejected {
        if (s == null || s.isEmpty()) return 0;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ReadoutRejected(TLV_MALFORMED, "identity tag 16 (special status) is not a number");
        }
    }

    private String text(int tag) {
        String s = tlv.text(tag);
        return s == null ? "" : s;
    }

    public String cardNumber() { return text(CARD_NUMBER); }
    public String chipNumberHex() { byte[] c = tlv.rawBytes(CHIP_NUMBER); return c == null ? "" : HexFormat.of().withUpperCase().formatHex(c); }
    public LocalDate validityBegin() { return validityBegin; }
    public LocalDate validityEnd() { return validityEnd; }
    public String deliveryMunicipality() { return text(DELIVERY_MUNICIPALITY); }
    public String nationalNumber() { return text(NATIONAL_NUMBER); }
    public String surname() { return text(SURNAME); }
    /** The first two given names. */
    public String givenNames() { return text(GIVEN_NAMES); }
    public String thirdGivenNameInitial() { return text(THIRD_GIVEN_NAME_INITIAL); }
    public String nationality() { return text(NATIONALITY); }
    public String placeOfBirth() { return text(PLACE_OF_BIRTH); }
    public BirthDate birthDate() { return birthDate; }
    public Gender gender() { return gender; }
    public String nobleCondition() { return text(NOBLE_CONDITION); }
    /** 1 eID, 6 Kids-ID, 11–23/27/28/31–36 foreigner cards; empty when the card does not say. */
    public String documentType() { return text(DOCUMENT_TYPE); }
    /** 0 none, 1 white cane, 2 extended minority, 3 = 1+2, 4 yellow cane, 5 = 4+2. */
    public int specialStatus() { return specialStatus; }
    public byte[] photoHash() { return tlv.bytes(PHOTO_HASH); }
    byte[] photoHashRaw() { return tlv.rawBytes(PHOTO_HASH); }
    /** Any tag, including those this class does not name (null when absent). */
    public byte[] tag(int tag) { return tlv.bytes(tag); }

    /** No personal data: toString ends up in logs. */
    @Override
    public String toString() {
        return "IdentityFile[documentType=" + documentType() + "]";
    }
}
