package be.idsvc.identify;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import be.idsvc.eid.Readout;

/**
 * A sandbox card's {@code readout.json}: our own format (written by {@code idsvc demo}), so a
 * member this record does not name is refused rather than ignored. Besides the card's files as
 * BeIDConnect's base64 fields, a {@code label} for the page and the marks {@code test} and
 * {@code key_type}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxCardFile(
        @JsonProperty("label") String label,
        @JsonProperty("test") boolean test,
        @JsonProperty("key_type") String keyType,
        @JsonProperty(Readout.ID) String id,
        @JsonProperty(Readout.ADDR) String addr,
        @JsonProperty(Readout.PHOTO) String photo,
        @JsonProperty(Readout.IDSIG) String idsig,
        @JsonProperty(Readout.ADDRSIG) String addrsig,
        @JsonProperty(Readout.RRNCERT) String rrncert,
        @JsonProperty(Readout.AUTHCERT) String authcert,
        @JsonProperty(Readout.SIGNCERT) String signcert,
        @JsonProperty(Readout.CACERT) String cacert,
        @JsonProperty(Readout.ROOTCERT) String rootcert,
        @JsonProperty(Readout.AUTHSIG) String authsig) {

    /** A test card's file from the readout's fields ({@link Readout#toFields()}). */
    public static SandboxCardFile of(String label, String keyType, Map<String, String> f) {
        return new SandboxCardFile(label, true, keyType, f.get(Readout.ID), f.get(Readout.ADDR), f.get(Readout.PHOTO),
                f.get(Readout.IDSIG), f.get(Readout.ADDRSIG), f.get(Readout.RRNCERT), f.get(Readout.AUTHCERT),
                f.get(Readout.SIGNCERT), f.get(Readout.CACERT), f.get(Readout.ROOTCERT), f.get(Readout.AUTHSIG));
    }

    /** The fields {@link Readout#fromFields} takes. */
    public Map<String, String> readoutFields() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, Readout.ID, id);
        put(m, Readout.ADDR, addr);
        put(m, Readout.PHOTO, photo);
        put(m, Readout.IDSIG, idsig);
        put(m, Readout.ADDRSIG, addrsig);
        put(m, Readout.RRNCERT, rrncert);
        put(m, Readout.AUTHCERT, authcert);
        put(m, Readout.SIGNCERT, signcert);
        put(m, Readout.CACERT, cacert);
        put(m, Readout.ROOTCERT, rootcert);
        put(m, Readout.AUTHSIG, authsig);
        return m;
    }

    private static void put(Map<String, String> m, String name, String value) {
        if (value != null) m.put(name, value);
    }
}
