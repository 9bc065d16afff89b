package be.idsvc.eid;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import be.idsvc.clientauth.ForwardedClientCertificate;
import be.idsvc.eid.virtual.CardOptions;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that parses what a browser or a proxy sends: the
 * readout's fields, the card files behind a valid signature, the card's certificates, the TLV
 * parser and the Client-Cert header. The verifier may refuse ({@link ReadoutRejected}; for the
 * header its {@link IllegalArgumentException}); any other exception is a finding and fails the
 * build. {@code mvn verify} fuzzes for 20 s ({@code JAZZER_FUZZ=1} is set for surefire);
 * {@code mvn test -Dtest=ReadoutFuzzLongRun} fuzzes the same target for 600 s (a class of its own:
 * Jazzer fuzzes one test per run, and surefire's default includes do not name it). Without
 * {@code JAZZER_FUZZ} only the seeds run.
 */
class ReadoutFuzzTest {
    private static final String RRN_DN = "CN=Fuzz RRN, O=Fuzz RRN, C=BE";
    private static final byte[] CHALLENGE = "a fresh server challenge, 32+ b".getBytes(StandardCharsets.US_ASCII);

    private static VirtualCardIssuer issuer;
    private static ReadoutVerifier verifier;
    private static IssuedCard card;
    private static Map<String, String> fields;
    private static byte[] identity;
    private static byte[] address;
    private static byte[] photo;
    private static X509Certificate authCertificate;

    @BeforeAll
    static void aTrustedCard() throws Exception {
        Authority root = VirtualCardIssuer.demoRoot("CN=Fuzz eID Root, C=BE", KeyType.EC_P384);
        Authority rrn = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.EC_P384);
        Authority citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=Fuzz Citizen CA, C=BE", KeyType.EC_P384);
        issuer = new VirtualCardIssuer(rrn, citizenCa);
        verifier = new ReadoutVerifier(EidTrust.builder().rrnAnchor(root.certificate()).citizenCaAnchor(citizenCa.certificate())
                .expectedRrnSubject(new X500Principal(RRN_DN)).clock(Fixtures.at("2025-06-01T12:00:00Z")).build());
        VirtualPerson person = new VirtualPerson();
        card = issuer.issue(person, new CardOptions().authenticationKey(KeyType.EC_P384));
        fields = card.readoutSigning(CHALLENGE).toFields();
        identity = card.readout().identity();
        address = card.readout().address();
        photo = card.readout().photo();
        authCertificate = card.authenticationCertificate();
        verifier.verify(card.readoutSigning(CHALLENGE), CHALLENGE, true); // the harness starts from a card that verifies
    }

    @FuzzTest(maxDuration = "20s")
    void parsingNeverFailsOtherThanByRefusing(FuzzedDataProvider data) {
        oneInput(data);
    }

    static void oneInput(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 4)) {
            case 0 -> signedCardFiles(data);
            case 1 -> formFields(data);
            case 2 -> cardCertificate(data);
            case 3 -> TlvOnly.parse(data.consumeRemainingAsBytes());
            default -> clientCertHeader(data.consumeRemainingAsString());
        }
    }

    /** Fuzzed identity and address files, signed as the National Register would: the parsers behind the signature. */
    private static void signedCardFiles(FuzzedDataProvider data) {
        byte[] id = data.consumeBoolean() ? mutate(identity, data) : data.consumeBytes(600);
        byte[] addr = data.consumeBoolean() ? mutate(address, data) : data.consumeBytes(200);
        try {
            verifier.verify(issuer.signFiles(id, addr, photo, authCertificate, new CardOptions()), null, false);
        } catch (ReadoutRejected refused) {
            // the verifier's own refusal
        }
    }

    /** The form as the page posts it, one field replaced by fuzz (as text, or as base64 of fuzzed bytes). */
    private static void formFields(FuzzedDataProvider data) {
        Map<String, String> form = new HashMap<>(fields);
        List<String> names = List.of("id", "addr", "photo", "idsig", "addrsig", "rrncert", "authcert", "cacert", "rootcert", "authsig");
        int n = data.consumeInt(1, 3);
        for (int i = 0; i < n; i++) {
            String name = data.pickValue(names);
            form.put(name, data.consumeBoolean() ? data.consumeString(400)
                    : Base64.getEncoder().encodeToString(data.consumeBoolean() ? mutate(Base64.getDecoder().decode(fields.getOrDefault(name, "")), data)
                            : data.consumeBytes(2000)));
        }
        try {
            verifier.verify(Readout.fromFields(form), CHALLENGE, data.consumeBoolean());
        } catch (ReadoutRejected refused) {
            // the verifier's own refusal
        }
    }

    private static void cardCertificate(FuzzedDataProvider data) {
        byte[] der = data.consumeBoolean() ? mutate(Base64.getDecoder().decode(fields.get("authcert")), data) : data.consumeRemainingAsBytes();
        CardCertificate.parse(der); // null for anything that is not a certificate, never an exception
        CardCertificate.length(der);
    }

    private static void clientCertHeader(String header) {
        try {
            ForwardedClientCertificate.parse(header);
        } catch (IllegalArgumentException refused) {
            // the header's own refusal
        }
    }

    /** A few byte edits of a valid file, so that the fuzzer starts near the structure. */
    private static byte[] mutate(byte[] original, FuzzedDataProvider data) {
        byte[] b = original.clone();
        int edits = data.consumeInt(1, 4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            b[data.consumeInt(0, b.length - 1)] = data.consumeByte();
        }
        if (data.consumeBoolean() && b.length > 0) b = java.util.Arrays.copyOf(b, data.consumeInt(0, b.length + 16));
        return b;
    }

    /** The TLV parser on its own. */
    private static final class TlvOnly {
        static void parse(byte[] file) {
            try {
                TlvParser.parse(file, "fuzz");
            } catch (ReadoutRejected refused) {
                // the parser's own refusal
            }
        }
    }
}
