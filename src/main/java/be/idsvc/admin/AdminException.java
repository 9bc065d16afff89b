package be.idsvc.admin;

/** A refused admin command (exit status 1). The message is one line, safe to print, and says what to do. */
final class AdminException extends RuntimeException {
    AdminException(String message) {
        super(message);
    }
}
