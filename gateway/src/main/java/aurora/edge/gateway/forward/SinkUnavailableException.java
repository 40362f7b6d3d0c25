package aurora.edge.gateway.forward;

/** A batch could not be confirmed by a sink's server; the forwarder backs off and retries it. */
public final class SinkUnavailableException extends Exception {
    public SinkUnavailableException(String message) {
        super(message);
    }

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
