package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reads for alerts, attestation and audit (the priority lane, and the NATS forwarder's) go through
 * the {@code (channel, seq)} index: with {@code channel <> 'TELEMETRY'} SQLite walked every row after
 * the cursor, so each read over a telemetry backlog of a million rows took hundreds of milliseconds.
 */
class OutboxReaderPlanTest {
    @TempDir
    Path dir;

    private static List<String> plan(Connection c, String sql) throws Exception {
        List<String> steps = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql.replace("?", "1"))) {
            while (rs.next()) {
                steps.add(rs.getString("detail"));
            }
        }
        return steps;
    }

    @ParameterizedTest
    @ValueSource(strings = {"priority", "between"})
    void theNonTelemetryReadsSearchTheChannelIndexInsteadOfWalkingTheBacklog(String read) throws Exception {
        Database database = Database.open(dir.resolve("o.db"));
        try (Connection c = database.openReader()) {
            List<String> steps =
                    plan(c, read.equals("priority") ? OutboxReader.PRIORITY_AFTER : OutboxReader.NON_TELEMETRY_BETWEEN);

            assertThat(steps).anyMatch(step -> step.contains("USING INDEX outbox_channel_seq (channel=? AND seq>?"));
            assertThat(steps).noneMatch(step -> step.contains("PRIMARY KEY") || step.startsWith("SCAN outbox"));
        }
    }

    @Test
    void everyChannelButTelemetryIsRead() {
        for (var channel : Channel.values()) {
            boolean listed = OutboxReader.PRIORITY_AFTER.contains("'" + channel.name() + "'");
            assertThat(listed).as(channel.name()).isEqualTo(channel != Channel.TELEMETRY);
        }
    }
}
