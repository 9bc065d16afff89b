package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.TLV_DUPLICATE_TAG;
import static be.idsvc.eid.ReadoutRejected.Reason.TLV_LENGTH_OVERRUN;
import static be.idsvc.eid.ReadoutRejected.Reason.TLV_MALFORMED;

import java.util.Arrays;

/**
 * Parses the card's identity and address files: one tag byte, then a length of 7 bits per byte
 * continued while bit 0x80 is set, then the value.
 *
 * <p>Tag 0 (file structure version) may open the file; any later 0 tag byte is the zero padding
 * that fills the file up to its fixed size, so parsing stops there. Unknown tags are kept but
 * never interpreted. A tag seen twice is an error rather than "last one wins": two readers picking
 * different copies of a signed value is exactly the ambiguity an attacker would look for.
 */
public final class TlvParser {
    /** Tags are one byte, so a 256-slot table is the whole index. */
    private static final int TAGS = 256;
    /** Four length bytes already allow 256 MiB; more can only be garbage in a file of at most 8 KiB. */
    private static final int MAX_LENGTH_BYTES = 4;

    private TlvParser() {}

    /** The parsed values, indexed by tag. {@code fileName} only labels error details. */
    public static Tlv parse(byte[] file, String fileName) throws ReadoutRejected {
        byte[][] values = new byte[TAGS][];
        int pos = 0;
        while (pos < file.length) {
            int tag = file[pos] & 0xff;
            if (tag == 0 && pos > 0) break; // zero padding up to the file's fixed size
            pos++;
            int length = 0;
            int lengthBytes = 0;
            while (true) {
                if (pos >= file.length) {
                    throw new ReadoutRejected(TLV_LENGTH_OVERRUN,
                            fileName + ": length of tag " + tag + " runs past the end of the file");
                }
                int b = file[pos++] & 0xff;
                if (++lengthBytes > MAX_LENGTH_BYTES) {
                    throw new ReadoutRejected(TLV_MALFORMED,
                            fileName + ": length of tag " + tag + " uses more than " + MAX_LENGTH_BYTES + " bytes");
                }
                length = (length << 7) | (b & 0x7f);
                if ((b & 0x80) == 0) break;
            }
            if (length > file.length - pos) {
                throw new ReadoutRejected(TLV_LENGTH_OVERRUN,
                        fileName + ": tag " + tag + " declares " + length + " bytes, " + (file.length - pos) + " left");
            }
            if (values[tag] != null) {
                throw new ReadoutRejected(TLV_DUPLICATE_TAG, fileName + ": tag " + tag + " appears twice");
            }
            values[tag] = Arrays.copyOfRange(file, pos, pos + length);
            pos += length;
        }
        return new Tlv(values);
    }

    /** Values of one parsed file; absent tags are {@code null}. */
    public static final class Tlv {
        private final byte[][] values;

        private Tlv(byte[][] values) {
            this.values = values;
        }

        public boolean has(int tag) {
            return values[tag] != null;
        }

        /** The raw value (a copy), or null when the tag is absent. */
        public byte[] bytes(int tag) {
            byte[] v = values[tag];
            return v == null ? null : v.clone();
        }

        /** The value as UTF-8 text, or null when absent. Invalid UTF-8 is replaced, not rejected:
         * the text is signed by the National Register, refusing a citizen's card over it helps nobody. */
        public String text(int tag) {
            byte[] v = values[tag];
            return v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
        }

        byte[] rawBytes(int tag) {
            return values[tag];
        }
    }
}
