package be.idsvc.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The escaping jose4j's {@code JsonUtil} used, so that moving to Jackson changed no byte on the
 * wire (issue 21): besides JSON's required escapes, U+007F–U+009F (controls) and U+2000–U+20FF
 * (among them the line and paragraph separators that end a JavaScript string, and the
 * bidirectional overrides) are written as a backslash, {@code u} and four upper-case hex digits. {@code /} and all other characters go out as they are, in UTF-8.
 */
final class JoseCompatibleEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final SerializedString[] HIGH = new SerializedString[0x2100];

    static {
        for (int c = 0x80; c <= 0x9F; c++) HIGH[c] = escape(c);
        for (int c = 0x2000; c <= 0x20FF; c++) HIGH[c] = escape(c);
    }

    private final int[] ascii;

    JoseCompatibleEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7F] = ESCAPE_STANDARD;
    }

    private static SerializedString escape(int c) {
        return new SerializedString(String.format("\\u%04X", c));
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return ch < HIGH.length ? HIGH[ch] : null;
    }
}
