package aurora.edge.gateway.forward;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the last check of the federation stream found that an operator should know (a subject the
 * gateway needs that the stream does not capture, a short duplicate window, a check the server
 * refused). Written by the JetStream sink, read by {@code /readyz} and {@code status}; the gateway
 * keeps publishing either way.
 */
public final class StreamFindings {
    private final AtomicReference<List<String>> current = new AtomicReference<>(List.of());

    void replace(List<String> findings) {
        current.set(List.copyOf(findings));
    }

    /** One line per finding; empty when the stream is as the gateway needs it (or was not checked, by configuration). */
    public List<String> current() {
        return current.get();
    }
}
