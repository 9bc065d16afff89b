package be.idsvc.eid;

import java.time.LocalDate;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A readout that passed every check: the identity and address as signed by the National Register,
 * and whether the person proved presence by signing the challenge with the card and PIN.
 */
public final class VerifiedCard {
    private final IdentityFile identity;
    private final AddressFile address;
    private final NationalNumber nationalNumber;
    private final byte[] photo;
    private final boolean challengeVerified;
    private final java.security.cert.X509Certificate rrnCertificate;

    VerifiedCard(IdentityFile identity, AddressFile address, NationalNumber nationalNumber, byte[] photo,
            boolean challengeVerified, java.security.cert.X509Certificate rrnCertificate) {
        this.rrnCertificate = rrnCertificate;
        this.identity = identity;
        this.address = address;
        this.nationalNumber = nationalNumber;
        this.photo = photo;
        this.challengeVerified = challengeVerified;
    }

    public NationalNumber nationalNumber() { return nationalNumber; }
    public String surname() { return identity.surname(); }
    /** The first two given names as on the card. */
    public String givenNames() { return identity.givenNames(); }
    public String thirdGivenNameInitial() { return identity.thirdGivenNameInitial(); }
    public BirthDate birthDate() { return identity.birthDate(); }
    public Gender gender() { return identity.gender(); }
    public String nationality() { return identity.nationality(); }
    public String placeOfBirth() { return identity.placeOfBirth(); }
    public String nobleCondition() { return identity.nobleCondition(); }
    public int specialStatus() { return identity.specialStatus(); }

    public String cardNumber() { return identity.cardNumber(); }
    public String chipNumberHex() { return identity.chipNumberHex(); }
    public LocalDate cardValidityBegin() { return identity.validityBegin(); }
    public LocalDate cardValidityEnd() { return identity.validityEnd(); }
    public String cardDeliveryMunicipality() { return identity.deliveryMunicipality(); }
    public String documentType() { return identity.documentType(); }

    public String streetAndNumber() { return address.streetAndNumber(); }
    public String postalCode() { return address.postalCode(); }
    public String municipality() { return address.municipality(); }

    /** The JPEG photo (a copy). */
    public byte[] photo() { return photo.clone(); }

    /** True only when a fresh challenge was signed by the card's authentication key (PIN entered)
     * and that key's certificate belongs to this national number. Without it the readout proves a
     * document, not a person present now. */
    public boolean challengeVerified() { return challengeVerified; }

    /** The National Register certificate that signed the files (which trust anchor vouched for them
     * tells a sandbox's demo cards from real ones). Not personal data. */
    public java.security.cert.X509Certificate rrnCertificate() { return rrnCertificate; }

    /**
     * Every claim of DESIGN.md §6 the card supplies (not {@code sub}, {@code acr}, {@code amr},
     * {@code auth_time}, which belong to the flow), by claim name. The caller releases only those of
     * the scopes a client may have and the person consented to.
     */
    public Map<String, Object> claims() {
        Map<String, Object> c = new LinkedHashMap<>();
        // profile
        c.put("name", (givenNames() + " " + surname()).trim());
        c.put("given_name", givenNames());
        c.put("family_name", surname());
        c.put("birthdate", birthDate().toClaim());
        c.put("gender", gender().claim());
        // address: the card holds the Belgian domicile
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street_address", streetAndNumber());
        address.put("postal_code", postalCode());
        address.put("locality", municipality());
        address.put("country", "BE");
        c.put("address", Collections.unmodifiableMap(address));
        // eid
        c.put("nationality", nationality());
        c.put("place_of_birth", placeOfBirth());
        c.put("card_number", cardNumber());
        c.put("card_validity_begin", cardValidityBegin().toString());
        c.put("card_validity_end", cardValidityEnd().toString());
        c.put("card_delivery_municipality", cardDeliveryMunicipality());
        c.put("document_type", documentType());
        c.put("national_number", nationalNumber.value());
        c.put("photo", Base64.getEncoder().encodeToString(photo));
        return Collections.unmodifiableMap(c);
    }

    public IdentityFile identityFile() { return identity; }
    public AddressFile addressFile() { return address; }

    /** No personal data: toString ends up in logs. */
    @Override
    public String toString() {
        return "VerifiedCard[documentType=" + documentType() + ", challengeVerified=" + challengeVerified + "]";
    }
}
