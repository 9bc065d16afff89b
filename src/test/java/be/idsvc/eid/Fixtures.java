package be.idsvc.eid;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Loads the public test-card readouts in src/test/resources/beid (see PROVENANCE.md there). */
final class Fixtures {
    private Fixtures() {}

    static byte[] bytes(String set, String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/beid/" + set + "/" + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static X509Certificate certificate(String set, String file) {
        return CardCertificate.parse(bytes(set, file));
    }

    static Readout readout(String set) throws ReadoutRejected {
        return new Readout(bytes(set, "identity.tlv"), bytes(set, "address.tlv"), bytes(set, "photo.jpg"),
                bytes(set, "identity-signature.bin"), bytes(set, "address-signature.bin"), bytes(set, "rrn-cert.der"),
                bytes(set, "auth-cert.der"), bytes(set, "sign-cert.der"), bytes(set, "citizen-ca.der"),
                bytes(set, "root-ca.der"), null);
    }

    static Clock at(String isoInstant) {
        return Clock.fixed(Instant.parse(isoInstant), ZoneOffset.UTC);
    }
}
