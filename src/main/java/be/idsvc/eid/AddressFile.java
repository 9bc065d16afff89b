package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.ADDRESS_FIELD_MISSING;

/** The address file (card file 4033): street and number, postal code, municipality. */
public final class AddressFile {
    public static final int STREET_AND_NUMBER = 1, POSTAL_CODE = 2, MUNICIPALITY = 3;

    private final String streetAndNumber;
    private final String postalCode;
    private final String municipality;

    private AddressFile(TlvParser.Tlv tlv) throws ReadoutRejected {
        for (int tag : new int[] {STREET_AND_NUMBER, POSTAL_CODE, MUNICIPALITY}) {
            if (!tlv.has(tag)) throw new ReadoutRejected(ADDRESS_FIELD_MISSING, "address file has no tag " + tag);
        }
        this.streetAndNumber = tlv.text(STREET_AND_NUMBER);
        this.postalCode = tlv.text(POSTAL_CODE);
        this.municipality = tlv.text(MUNICIPALITY);
    }

    public static AddressFile parse(byte[] file) throws ReadoutRejected {
        return new AddressFile(TlvParser.parse(file, "address file"));
    }

    /** The length of the address file without its trailing zero padding: the part the address signature covers. */
    public static int unpaddedLength(byte[] file) {
        int end = file.length;
        while (end > 0 && file[end - 1] == 0) end--;
        return end;
    }

    public String streetAndNumber() { return streetAndNumber; }
    public String postalCode() { return postalCode; }
    public String municipality() { return municipality; }

    @Override
    public String toString() {
        return "AddressFile[]";
    }
}
