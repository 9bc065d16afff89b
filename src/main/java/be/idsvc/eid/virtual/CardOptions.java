package be.idsvc.eid.virtual;

/**
 * How a virtual card is written. Defaults give a modern card: SHA-256 photo hash, tag 0 present,
 * certificates and EC signatures zero-padded like the card's fixed-size files, an RSA-2048
 * authentication key. Mutable, fluent; not shared between threads.
 */
public final class CardOptions {
    String authCertificatePolicy = VirtualCardIssuer.DEMO_AUTH_POLICY;
    VirtualCardIssuer.PhotoHash photoHash = VirtualCardIssuer.PhotoHash.SHA256;
    String rsaFileSignatureHash = "SHA-256";
    boolean padCertificates = true;
    boolean padSignatures = true;
    boolean fileStructureVersionTag = true;
    int addressFileSize = 121;
    VirtualCardIssuer.KeyType authenticationKey = VirtualCardIssuer.KeyType.RSA_2048;
    boolean surnameRdn = true;
    String extraSerialNumber;
    String authCertificateNationalNumber;
    java.time.LocalDate authCertificateBegin, authCertificateEnd;

    public CardOptions photoHash(VirtualCardIssuer.PhotoHash hash) { this.photoHash = hash; return this; }

    /** "SHA-1" (old cards) or "SHA-256", for an RSA National Register key. */
    public CardOptions rsaFileSignatureHash(String hash) {
        if (!hash.equals("SHA-1") && !hash.equals("SHA-256")) throw new IllegalArgumentException("SHA-1 or SHA-256");
        this.rsaFileSignatureHash = hash;
        return this;
    }

    public CardOptions padCertificates(boolean pad) { this.padCertificates = pad; return this; }
    /** Zero-pad EC file signatures to 256 bytes, as real EC cards do. */
    public CardOptions padSignatures(boolean pad) { this.padSignatures = pad; return this; }
    public CardOptions fileStructureVersionTag(boolean present) { this.fileStructureVersionTag = present; return this; }
    public CardOptions addressFileSize(int size) { this.addressFileSize = size; return this; }
    public CardOptions authenticationKey(VirtualCardIssuer.KeyType type) { this.authenticationKey = type; return this; }
    /** Whether the authentication certificate has a SURNAME RDN (the 2017 test card has none). */
    public CardOptions surnameRdn(boolean present) { this.surnameRdn = present; return this; }
    /** A second SERIALNUMBER RDN after the national number, like the document number on 2017 test cards. */
    public CardOptions extraSerialNumber(String value) { this.extraSerialNumber = value; return this; }
    /** Put another national number in the authentication certificate than on the card (tests only). */
    public CardOptions authCertificateNationalNumber(String value) { this.authCertificateNationalNumber = value; return this; }
    /** The authentication certificate's policy OID; null: no certificate policies extension. */
    public CardOptions authCertificatePolicy(String oid) { this.authCertificatePolicy = oid; return this; }
    /** Validity of the authentication certificate; by default the card's. */
    public CardOptions authCertificateValidity(java.time.LocalDate begin, java.time.LocalDate end) {
        this.authCertificateBegin = begin;
        this.authCertificateEnd = end;
        return this;
    }
}
