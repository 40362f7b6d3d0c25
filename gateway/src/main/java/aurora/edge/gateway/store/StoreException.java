package aurora.edge.gateway.store;

/** The database could not be opened, migrated, read or written. Always carries which file and what was attempted. */
@SuppressWarnings("serial") // never serialized: exceptions do not leave the JVM
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
