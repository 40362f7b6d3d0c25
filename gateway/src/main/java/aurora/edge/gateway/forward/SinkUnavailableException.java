package aurora.edge.gateway.forward;

import org.jspecify.annotations.Nullable;

/** A batch could not be confirmed by a sink's server; the forwarder backs off and retries it. */
@SuppressWarnings("serial") // never serialized: exceptions do not leave the JVM
public final class SinkUnavailableException extends Exception {
    public SinkUnavailableException(String message) {
        super(message);
    }

    public SinkUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
