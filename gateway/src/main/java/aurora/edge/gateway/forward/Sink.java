package aurora.edge.gateway.forward;

import aurora.edge.gateway.outbox.OutboxRecord;
import java.util.List;

/**
 * A destination the outbox drains to. There are two real ones: {@link RedisStreamSink} and
 * {@link JetStreamSink}. A sink never buffers on its own: a batch is either acknowledged by the
 * server as a whole, or {@link #deliver} throws and the forwarder retries the same batch later.
 * Retrying is safe because every sink de-duplicates by outbox sequence or message id.
 */
public interface Sink extends AutoCloseable {

    /** Stable short name used for the cursor, metrics and logs ({@code redis}, {@code nats}). */
    String name();

    /** Whether the sink currently believes its server connection is up. Cheap; never blocks. */
    boolean isConnected();

    /**
     * Delivers the batch in order and returns once the server has acknowledged every record the
     * sink is responsible for (records it does not route, for example telemetry on NATS, are skipped).
     *
     * @throws SinkUnavailableException when the server is unreachable or did not acknowledge in time
     */
    void deliver(List<OutboxRecord> batch) throws SinkUnavailableException;

    /**
     * Whether the sink never takes telemetry. Its forwarder then reads only the other events (the
     * cursor still moves past the telemetry), instead of reading every telemetry row to drop it.
     */
    default boolean takesNoTelemetry() {
        return false;
    }

    @Override
    void close();
}
