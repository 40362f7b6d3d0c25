package aurora.edge.testing;

import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The outbox most unit tests need: site {@code site1}, commits of at most 100 events, no byte
 * limits, nobody told of watermarks, meters of its own, the system clock. Tests of those very
 * things build their {@link Outbox} themselves.
 */
public final class TestOutboxes {
    private TestOutboxes() {}

    /**
     * @param file          the SQLite file (created, or opened as it is)
     * @param gatewayId     the gateway's id (its own events' message ids start with it)
     * @param sinks         the sinks whose cursors it keeps
     * @param queueCapacity events that may wait for a commit
     * @param commitWindow  {@code outbox.commit_max_delay}
     */
    public static Outbox open(
            Path file, String gatewayId, List<String> sinks, int queueCapacity, Duration commitWindow) {
        return new Outbox(
                Database.open(file),
                gatewayId,
                "site1",
                sinks,
                queueCapacity,
                100,
                commitWindow,
                OutboxLimits.unbounded(),
                (watermarks, gaps) -> {},
                new SimpleMeterRegistry(),
                Clock.systemUTC());
    }
}
