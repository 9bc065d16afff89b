package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class TlvParserTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void readsTagsAndStopsAtZeroPadding() throws Exception {
        TlvParser.Tlv t = TlvParser.parse(hex("01 02 4142  03 01 43  00 00 00 00"), "f");
        assertEquals("AB", t.text(1));
        assertEquals("C", t.text(3));
        assertFalse(t.has(2));
        assertNull(t.text(2));
    }

    @Test
    void leadingTagZeroIsAValueNotPadding() throws Exception {
        TlvParser.Tlv t = TlvParser.parse(hex("00 01 07  01 01 41 0000"), "f");
        assertArrayEquals(new byte[] {7}, t.bytes(0));
        assertEquals("A", t.text(1));
    }

    @Test
    void multiByteLengthUsesSevenBitsPerByte() throws Exception {
        byte[] value = new byte[200];
        java.util.Arrays.fill(value, (byte) 'x');
        // 200 = 0b1_1001000: first byte 0x80|1, second 0x48
        byte[] file = new byte[3 + 200];
        file[0] = 5;
        file[1] = (byte) 0x81;
        file[2] = 0x48;
        System.arraycopy(value, 0, file, 3, 200);
        assertEquals(200, TlvParser.parse(file, "f").bytes(5).length);
    }

    @Test
    void emptyValueAndUnknownTagsAreKept() throws Exception {
        TlvParser.Tlv t = TlvParser.parse(hex("0e 00  c8 01 ff"), "f");
        assertEquals("", t.text(14));
        assertArrayEquals(new byte[] {(byte) 0xff}, t.bytes(200));
    }

    @Test
    void duplicateTagIsRejected() {
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> TlvParser.parse(hex("01 01 41 01 01 42"), "f"));
        assertEquals(ReadoutRejected.Reason.TLV_DUPLICATE_TAG, e.reason());
    }

    @Test
    void valueRunningPastTheEndIsRejected() {
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> TlvParser.parse(hex("01 05 4142"), "f"));
        assertEquals(ReadoutRejected.Reason.TLV_LENGTH_OVERRUN, e.reason());
    }

    @Test
    void lengthRunningPastTheEndIsRejected() {
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> TlvParser.parse(hex("01 81"), "f"));
        assertEquals(ReadoutRejected.Reason.TLV_LENGTH_OVERRUN, e.reason());
    }

    @Test
    void absurdLengthEncodingIsRejected() {
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> TlvParser.parse(hex("01 8080808001"), "f"));
        assertEquals(ReadoutRejected.Reason.TLV_MALFORMED, e.reason());
    }

    @Test
    void detailNamesTheTagNotTheValue() {
        ReadoutRejected e = assertThrows(ReadoutRejected.class,
                () -> TlvParser.parse(("\u0007\u0003ABC\u0007\u0003XYZ").getBytes(StandardCharsets.US_ASCII), "identity file"));
        assertEquals("TLV_DUPLICATE_TAG: identity file: tag 7 appears twice", e.getMessage());
    }
}
