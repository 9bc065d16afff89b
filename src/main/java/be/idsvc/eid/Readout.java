package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.FIELD_TOO_LARGE;
import static be.idsvc.eid.ReadoutRejected.Reason.MALFORMED_BASE64;
import static be.idsvc.eid.ReadoutRejected.Reason.MISSING_FIELD;

import java.util.Base64;
import java.util.Map;

/**
 * The raw card files of one readout, exactly as read from the card (padding included), not yet
 * verified.
 *
 * <p>Size limits, per decoded field, bound the work an anonymous POST can cause before any
 * signature is checked: {@value #MAX_PHOTO_BYTES} bytes for the photo (card photos are about
 * 3 KB; the chip's file is far below 64 KiB) and {@value #MAX_FILE_BYTES} bytes for every other
 * file (identity and address files are under 1 KB, certificates under 2 KB, signatures 512 bytes
 * at most, so 8 KiB leaves room for padding and larger future keys).
 */
public final class Readout {
    public static final int MAX_PHOTO_BYTES = 64 * 1024;
    public static final int MAX_FILE_BYTES = 8 * 1024;

    /** BeIDConnect's field names, as the page posts them. */
    public static final String ID = "id", ADDR = "addr", PHOTO = "photo", IDSIG = "idsig", ADDRSIG = "addrsig",
            RRNCERT = "rrncert", AUTHCERT = "authcert", SIGNCERT = "signcert", CACERT = "cacert",
            ROOTCERT = "rootcert", AUTHSIG = "authsig";

    private final byte[] identity;
    private final byte[] address;
    private final byte[] photo;
    private final byte[] identitySignature;
    private final byte[] addressSignature;
    private final byte[] rrnCertificate;
    private final byte[] authCertificate;
    private final byte[] signCertificate;
    private final byte[] caCertificate;
    private final byte[] rootCertificate;
    private final byte[] authSignature;

    /**
     * A readout from raw files; the last five may be null. Arrays are copied. The same size limits
     * apply as for posted fields.
     */
    public Readout(byte[] identity, byte[] address, byte[] photo, byte[] identitySignature,
            byte[] addressSignature, byte[] rrnCertificate, byte[] authCertificate, byte[] signCertificate,
            byte[] caCertificate, byte[] rootCertificate, byte[] authSignature) throws ReadoutRejected {
        this.identity = required(ID, identity);
        this.address = required(ADDR, address);
        this.photo = required(PHOTO, photo);
        this.identitySignature = required(IDSIG, identitySignature);
        this.addressSignature = required(ADDRSIG, addressSignature);
        this.rrnCertificate = required(RRNCERT, rrnCertificate);
        this.authCertificate = optional(AUTHCERT, authCertificate);
        this.signCertificate = optional(SIGNCERT, signCertificate);
        this.caCertificate = optional(CACERT, caCertificate);
        this.rootCertificate = optional(ROOTCERT, rootCertificate);
        this.authSignature = optional(AUTHSIG, authSignature);
    }

    /** The minimal readout the verifier needs (no authentication certificate, no challenge signature). */
    public Readout(byte[] identity, byte[] address, byte[] photo, byte[] identitySignature,
            byte[] addressSignature, byte[] rrnCertificate) throws ReadoutRejected {
        this(identity, address, photo, identitySignature, addressSignature, rrnCertificate, null, null, null, null, null);
    }

    /**
     * A readout from BeIDConnect's base64 fields. Required: {@code id, addr, photo, idsig, addrsig,
     * rrncert}; optional: {@code authcert, signcert, cacert, rootcert, authsig} (an empty value counts
     * as absent). Other keys are ignored, so a whole form can be passed. Values are standard base64
     * (RFC 4648 §4) as BeIDConnect writes it: padding optional, no line breaks, no URL-safe alphabet.
     */
    public static Readout fromFields(Map<String, String> fields) throws ReadoutRejected {
        return new Readout(
                decode(fields, ID), decode(fields, ADDR), decode(fields, PHOTO), decode(fields, IDSIG),
                decode(fields, ADDRSIG), decode(fields, RRNCERT), decode(fields, AUTHCERT),
                decode(fields, SIGNCERT), decode(fields, CACERT), decode(fields, ROOTCERT),
                decode(fields, AUTHSIG));
    }

    /** Same files with another challenge signature: the card files are read once, the challenge is signed later. */
    public Readout withAuthSignature(byte[] signature) throws ReadoutRejected {
        return new Readout(identity, address, photo, identitySignature, addressSignature, rrnCertificate,
                authCertificate, signCertificate, caCertificate, rootCertificate, signature);
    }

    private static byte[] decode(Map<String, String> fields, String name) throws ReadoutRejected {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) return null;
        int limit = limit(name);
        // checked before decoding, so an oversized post costs no decoding work
        if (value.length() > (limit + 2) / 3 * 4) {
            throw new ReadoutRejected(FIELD_TOO_LARGE, "field " + name + " exceeds " + limit + " bytes");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ReadoutRejected(MALFORMED_BASE64, "field " + name + " is not base64");
        }
    }

    private static byte[] required(String name, byte[] value) throws ReadoutRejected {
        if (value == null || value.length == 0) {
            throw new ReadoutRejected(MISSING_FIELD, "field " + name + " is required");
        }
        return checkedCopy(name, value);
    }

    private static byte[] optional(String name, byte[] value) throws ReadoutRejected {
        return value == null || value.length == 0 ? null : checkedCopy(name, value);
    }

    private static byte[] checkedCopy(String name, byte[] value) throws ReadoutRejected {
        if (value.length > limit(name)) {
            throw new ReadoutRejected(FIELD_TOO_LARGE, "field " + name + " has " + value.length
                    + " bytes, limit " + limit(name));
        }
        return value.clone();
    }

    private static int limit(String name) {
        return PHOTO.equals(name) ? MAX_PHOTO_BYTES : MAX_FILE_BYTES;
    }

    // Copies for outside callers; the verifier reads the fields directly (package access).

    public byte[] identity() { return identity.clone(); }
    public byte[] address() { return address.clone(); }
    public byte[] photo() { return photo.clone(); }
    public byte[] identitySignature() { return identitySignature.clone(); }
    public byte[] addressSignature() { return addressSignature.clone(); }
    public byte[] rrnCertificate() { return rrnCertificate.clone(); }
    public byte[] authCertificate() { return copy(authCertificate); }
    public byte[] signCertificate() { return copy(signCertificate); }
    public byte[] caCertificate() { return copy(caCertificate); }
    public byte[] rootCertificate() { return copy(rootCertificate); }
    public byte[] authSignature() { return copy(authSignature); }

    /** The BeIDConnect fields for these files (absent ones left out): what a page would post. */
    public Map<String, String> toFields() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        put(out, ID, identity);
        put(out, ADDR, address);
        put(out, PHOTO, photo);
        put(out, IDSIG, identitySignature);
        put(out, ADDRSIG, addressSignature);
        put(out, RRNCERT, rrnCertificate);
        put(out, AUTHCERT, authCertificate);
        put(out, SIGNCERT, signCertificate);
        put(out, CACERT, caCertificate);
        put(out, ROOTCERT, rootCertificate);
        put(out, AUTHSIG, authSignature);
        return out;
    }

    private static void put(Map<String, String> out, String name, byte[] value) {
        if (value != null) out.put(name, Base64.getEncoder().encodeToString(value));
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    byte[] identityFile() { return identity; }
    byte[] addressFile() { return address; }
    byte[] photoFile() { return photo; }
    byte[] identitySignatureFile() { return identitySignature; }
    byte[] addressSignatureFile() { return addressSignature; }
    byte[] rrnCertificateFile() { return rrnCertificate; }
    byte[] authCertificateFile() { return authCertificate; }
    byte[] caCertificateFile() { return caCertificate; }
    byte[] authSignatureBytes() { return authSignature; }

    /** Sizes only: the files are personal data. */
    @Override
    public String toString() {
        return "Readout[id=" + identity.length + "B, addr=" + address.length + "B, photo=" + photo.length
                + "B, authcert=" + (authCertificate != null) + ", authsig=" + (authSignature != null) + "]";
    }
}
