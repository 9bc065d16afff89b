package be.idsvc.store;

/** The database cannot be reached or failed; the caller answers 503 and the client may retry. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
