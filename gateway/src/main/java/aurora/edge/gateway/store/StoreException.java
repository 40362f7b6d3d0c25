package aurora.edge.gateway.store;

/** The database could not be opened, migrated, read or written. Always carries which file and what was attempted. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
