package be.idsvc.eid.virtual;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;

import javax.imageio.ImageIO;

/**
 * The person and document data printed on a virtual card, as the card writes it (texts, not
 * parsed values: the birth date is the card's text, e.g. {@code 21 AUG 1998}, so every card form
 * can be produced). Defaults describe a fictional specimen with consistent, strictly valid numbers.
 * Mutable, fluent.
 */
public final class VirtualPerson {
    private String cardNumber = VirtualCardIssuer.cardNumber(123456);
    private byte[] chipNumber = new byte[] {0x53, 0x4c, 0x49, 0x4e, 0x33, 0x66, 0, 0x29, 0x6c, (byte) 0xff, 0x25, 0x1c, 0x5c, 0x0f, 0x17, 0x24};
    private LocalDate validityBegin = LocalDate.of(2020, 1, 15);
    private LocalDate validityEnd = LocalDate.of(2030, 1, 15);
    private String deliveryMunicipality = "Specimenstad";
    private String nationalNumber = VirtualCardIssuer.nationalNumber(LocalDate.of(1990, 3, 7), 2);
    private String surname = "Specimen";
    private String givenNames = "Virtual Card";
    private String thirdGivenNameInitial = "T";
    private String nationality = "Belg";
    private String placeOfBirth = "Specimenstad";
    private String birthDate = "07 MAAR 1990";
    private String gender = "V";
    private String nobleCondition = "";
    private String documentType = "1";
    private int specialStatus = 0;
    private String streetAndNumber = "Specimenstraat 1";
    private String postalCode = "1000";
    private String municipality = "Specimenstad";
    private byte[] photo;

    public String cardNumber() { return cardNumber; }
    public byte[] chipNumber() { return chipNumber.clone(); }
    public LocalDate validityBegin() { return validityBegin; }
    public LocalDate validityEnd() { return validityEnd; }
    public String deliveryMunicipality() { return deliveryMunicipality; }
    public String nationalNumber() { return nationalNumber; }
    public String surname() { return surname; }
    public String givenNames() { return givenNames; }
    public String thirdGivenNameInitial() { return thirdGivenNameInitial; }
    public String nationality() { return nationality; }
    public String placeOfBirth() { return placeOfBirth; }
    public String birthDate() { return birthDate; }
    public String gender() { return gender; }
    public String nobleCondition() { return nobleCondition; }
    public String documentType() { return documentType; }
    public int specialStatus() { return specialStatus; }
    public String streetAndNumber() { return streetAndNumber; }
    public String postalCode() { return postalCode; }
    public String municipality() { return municipality; }

    public byte[] photo() {
        if (photo == null) photo = placeholderPhoto();
        return photo.clone();
    }

    public VirtualPerson cardNumber(String v) { cardNumber = v; return this; }
    public VirtualPerson chipNumber(byte[] v) { chipNumber = v.clone(); return this; }
    public VirtualPerson validity(LocalDate begin, LocalDate end) { validityBegin = begin; validityEnd = end; return this; }
    public VirtualPerson deliveryMunicipality(String v) { deliveryMunicipality = v; return this; }
    public VirtualPerson nationalNumber(String v) { nationalNumber = v; return this; }
    public VirtualPerson surname(String v) { surname = v; return this; }
    public VirtualPerson givenNames(String v) { givenNames = v; return this; }
    public VirtualPerson thirdGivenNameInitial(String v) { thirdGivenNameInitial = v; return this; }
    public VirtualPerson nationality(String v) { nationality = v; return this; }
    public VirtualPerson placeOfBirth(String v) { placeOfBirth = v; return this; }
    /** As the card writes it: {@code 07 MAAR 1990}, {@code 7.MÄR. 1990}, {@code       1990}… */
    public VirtualPerson birthDate(String v) { birthDate = v; return this; }
    /** {@code M}, or {@code F}/{@code V}/{@code W}. */
    public VirtualPerson gender(String v) { gender = v; return this; }
    public VirtualPerson nobleCondition(String v) { nobleCondition = v; return this; }
    public VirtualPerson documentType(String v) { documentType = v; return this; }
    public VirtualPerson specialStatus(int v) { specialStatus = v; return this; }
    public VirtualPerson address(String street, String postal, String municipalityName) {
        streetAndNumber = street; postalCode = postal; municipality = municipalityName; return this;
    }
    public VirtualPerson photo(byte[] jpeg) { photo = jpeg.clone(); return this; }

    /** A small grey JPEG, so a card without a configured photo still carries a real image. */
    private static byte[] placeholderPhoto() {
        BufferedImage img = new BufferedImage(140, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0xd0d0d0));
        g.fillRect(0, 0, 140, 200);
        g.setColor(new Color(0x808080));
        g.fillOval(40, 30, 60, 75);
        g.fillRoundRect(20, 120, 100, 100, 40, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
