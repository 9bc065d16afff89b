package be.idsvc.admin;

/**
 * Characters no command-line value may hold: C0 controls (line feed, carriage return, tab, NUL,
 * escape...), DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators.
 * Each can end a line for some reader of the home (a properties file, the audit log, a terminal),
 * so a value carrying one could write keys or audit lines nobody typed (issue 13, defect 5).
 */
final class ControlCharacters {
    private ControlCharacters() {}

    static boolean is(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    /** Throws a usage error naming {@code what} (an option or "operand N") when {@code value} holds one. */
    static void refuse(String command, String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (is(c)) {
                throw new UsageException((command.isEmpty() ? "" : command + ": ") + what + " contains the control character " + String.format("U+%04X", (int) c)
                        + " at position " + i + "; option values must be one line of printable text");
            }
        }
    }
}
