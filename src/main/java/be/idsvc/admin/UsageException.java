package be.idsvc.admin;

/** A command line that does not follow the usage (exit status 2). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
