package be.idsvc.admin;

import java.security.PrivateKey;
import java.time.LocalDate;
import java.util.List;

import be.idsvc.eid.ReadoutRejected;
import be.idsvc.eid.virtual.CardOptions;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;
import be.idsvc.identify.SandboxCardFile;
import be.idsvc.json.Json;
import be.idsvc.pki.Pem;

/**
 * The sandbox's demo eID authorities and virtual test cards, for a demo home only: a demo RRN
 * root, two demo National Register certificates under it (RSA-2048 and EC P-384, like the two card
 * generations), a demo citizen CA, and fictional card holders. Never part of a production home.
 */
final class SandboxCardMaker {
    static final String ROOT_DN = "CN=Sandbox eID Root CA (TEST), O=Identification Service Demo, C=BE";
    static final String RRN_DN = "CN=Sandbox RRN (TEST), O=Identification Service Demo, C=BE";
    static final String CITIZEN_CA_DN = "CN=Sandbox Citizen CA (TEST), O=Identification Service Demo, C=BE";

    /** One virtual card holder, and which generation of card they carry. */
    record Holder(String id, String label, KeyType keyType, VirtualPerson person) {}

    /** A made card: its readout.json text and its authentication key. */
    record MadeCard(Holder holder, String readoutJson, PrivateKey authenticationKey) {}

    final Authority root = VirtualCardIssuer.demoRoot(ROOT_DN, KeyType.EC_P384);
    final Authority rrnRsa = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.RSA_2048);
    final Authority rrnEc = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.EC_P384);
    final Authority citizenCa = VirtualCardIssuer.demoCitizenCa(root, CITIZEN_CA_DN, KeyType.EC_P384);

    /** Fictional holders; national and card numbers carry correct mod-97 checksums and gender parity. */
    static List<Holder> holders() {
        return List.of(
                new Holder("alice", "Alice Marie Specimen (RSA-2048 card, female, born 1985)", KeyType.RSA_2048, new VirtualPerson()
                        .givenNames("Alice Marie").surname("Specimen").thirdGivenNameInitial("")
                        .birthDate("14 MAAR 1985").gender("V")
                        .nationalNumber(VirtualCardIssuer.nationalNumber(LocalDate.of(1985, 3, 14), 2))
                        .nationality("Belg").placeOfBirth("Leuven").address("Teststraat 12", "3000", "Leuven")
                        .cardNumber(VirtualCardIssuer.cardNumber(5921000012L))
                        .validity(LocalDate.of(2022, 5, 2), LocalDate.of(2032, 5, 2)).deliveryMunicipality("Leuven")),
                new Holder("bob", "Bob Specimen (EC P-384 card, male, born 1970)", KeyType.EC_P384, new VirtualPerson()
                        .givenNames("Bob").surname("Specimen").thirdGivenNameInitial("")
                        .birthDate("02 NOV 1970").gender("M")
                        .nationalNumber(VirtualCardIssuer.nationalNumber(LocalDate.of(1970, 11, 2), 1))
                        .nationality("Belge").placeOfBirth("Namur").address("Rue de l'Exemple 7 bte 3", "5000", "Namur")
                        .cardNumber(VirtualCardIssuer.cardNumber(5921000034L))
                        .validity(LocalDate.of(2025, 1, 15), LocalDate.of(2035, 1, 15)).deliveryMunicipality("Namur")),
                new Holder("chloe", "Chloe Exemple (RSA-2048 card, female, born 2003)", KeyType.RSA_2048, new VirtualPerson()
                        .givenNames("Chloe").surname("Exemple").thirdGivenNameInitial("")
                        .birthDate("21 JUIL 2003").gender("F")
                        .nationalNumber(VirtualCardIssuer.nationalNumber(LocalDate.of(2003, 7, 21), 4))
                        .nationality("Belg").placeOfBirth("Gent").address("Voorbeeldlaan 101", "9000", "Gent")
                        .cardNumber(VirtualCardIssuer.cardNumber(5921000056L))
                        .validity(LocalDate.of(2024, 9, 30), LocalDate.of(2034, 9, 30)).deliveryMunicipality("Gent")));
    }

    /** Issues the card: an RSA card is signed by the RSA RRN key, an EC card by the EC one (as real cards are). */
    MadeCard make(Holder h) {
        VirtualCardIssuer issuer = new VirtualCardIssuer(h.keyType() == KeyType.EC_P384 ? rrnEc : rrnRsa, citizenCa);
        try {
            IssuedCard card = issuer.issue(h.person(), new CardOptions().authenticationKey(h.keyType()));
            SandboxCardFile file = SandboxCardFile.of(h.label(), h.keyType() == KeyType.EC_P384 ? "EC P-384" : "RSA-2048",
                    card.readout().toFields());
            return new MadeCard(h, Json.write(file) + "\n", card.authenticationKey());
        } catch (ReadoutRejected e) {
            throw new IllegalStateException("cannot issue the sandbox card " + h.id() + ": " + e.getMessage(), e);
        }
    }

    static String pem(Object o) {
        return Pem.encode(o);
    }
}
