package be.idsvc.store;

/** The database cannot be reached or failed; the caller answers 503 and the client may retry. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The message with the innermost cause's, which names what an operator must fix: H2 reports a
     * full disk as "Writing to FileChannelImpl@… failed", and only its cause says "No space left
     * on device" (or "Read-only file system"). Database messages carry no tokens or personal data.
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = e.getMessage();
        if (root == e || root.getMessage() == null || message.contains(root.getMessage())) return message;
        return message + " (cause: " + root.getMessage() + ")";
    }
}
