package be.idsvc.eid;

/**
 * Length of the DER element at the start of a card file. Card files are fixed-size and
 * zero-padded, and the padding is not part of the certificate or signature, so the element's own
 * length says where the real content ends.
 */
final class DerLength {
    private DerLength() {}

    /** Total length (header + content) of the element at offset 0, or -1 if it is not a well-formed
     * SEQUENCE header or runs past the end of the file. */
    static int ofSequence(byte[] file) {
        if (file.length < 2 || file[0] != 0x30) return -1;
        int first = file[1] & 0xff;
        long total;
        if (first < 0x80) {
            total = 2 + first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 3 || file.length < 2 + n) return -1; // certificates never need more than 3 length bytes
            long len = 0;
            for (int i = 0; i < n; i++) len = (len << 8) | (file[2 + i] & 0xff);
            total = 2 + n + len;
        }
        return total <= file.length ? (int) total : -1;
    }
}
