package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.store.Database;
import aurora.edge.testing.TestOutboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outbox written before message ids carried the site ({@code device:boot:seq}) keeps working
 * after the upgrade to {@code site:device:boot:seq}. The rule: a stored row keeps the id it was
 * stored with (so a sink that already had it sees the same {@code Nats-Msg-Id} again and drops it),
 * and a device's resend is recognised by its (device, boot, seq) against the device's progress,
 * never by the id string, so a resend after the upgrade of a message stored before it is still a
 * duplicate. Only messages first stored after the upgrade get the new id.
 */
class MessageIdUpgradeTest {
    @TempDir
    Path dir;

    private static PendingEvent telemetry(String device, long boot, long seq) {
        return new PendingEvent(
                device,
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(boot, seq),
                Instant.now(),
                null,
                id -> ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowsWithOldIdsStillForwardUnderThoseIdsAndResendsOfThemAreStillDuplicates() throws Exception {
        Path file = dir.resolve("aurora-edge.db");
        Database.open(file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            // What the previous release left: d1's boot 0 up to seq 7 stored, 6 of them already with the redis sink.
            for (int seq = 1; seq <= 7; seq++) {
                st.executeUpdate(
                        "INSERT INTO outbox (seq, message_id, device_id, channel, severity, accepted_at, event) VALUES ("
                                + seq + ", 'd1:0:" + seq + "', 'd1', 'TELEMETRY', 'INFO', 1700000000000, X'7B7D')");
            }
            st.executeUpdate("INSERT INTO sink_cursor (sink, seq) VALUES ('redis', 6)");
            st.executeUpdate(
                    "INSERT INTO device_progress (device_id, boot, contiguous_seq, pending, updated_at) VALUES ('d1', 0, 7, '', 1)");
        }

        try (Outbox outbox = TestOutboxes.open(file, "gw1", List.of("redis"), 1000, Duration.ofMillis(2))) {
            outbox.offer(telemetry("d1", 0, 6)); // resent after the upgrade: stored before it
            outbox.offer(telemetry("d1", 0, 7));
            outbox.offer(telemetry("d1", 0, 8)); // new
            assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();

            try (OutboxReader reader = outbox.openReader()) {
                List<OutboxRecord> rows = reader.after(outbox.cursor("redis"), 100);
                assertThat(rows).extracting(OutboxRecord::messageId).containsExactly("d1:0:7", "site1:d1:0:8");
                assertThat(new String(rows.get(1).event(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"id\":\"site1:d1:0:8\"}");
            }
        }
    }
}
