package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxCapacityTest {
    private static final int EVENT_BYTES = 100;

    @TempDir
    Path dir;

    private Connection c;
    private final AtomicLong freeDisk = new AtomicLong(Long.MAX_VALUE / 4);
    private long seq;

    @BeforeEach
    void open() throws SQLException {
        c = Database.open(dir.resolve("cap.db")).openWriter();
        c.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private void insert(Channel channel, int count) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (seq, message_id, device_id, channel, severity, accepted_at, event) VALUES (?,?,?,?,?,?,?)")) {
            for (int i = 0; i < count; i++) {
                ps.setLong(1, ++seq);
                ps.setString(2, "m" + seq);
                ps.setString(3, "d");
                ps.setString(4, channel.name());
                ps.setString(5, "INFO");
                ps.setLong(6, 0);
                ps.setBytes(7, new byte[EVENT_BYTES]);
                ps.executeUpdate();
            }
        }
        c.commit();
    }

    private List<String> channelsBySeq() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT channel FROM outbox ORDER BY seq");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private OutboxCapacity capacity(long max, long hardMax, long minFree) throws SQLException {
        OutboxCapacity capacity = new OutboxCapacity(new OutboxLimits(max, hardMax, minFree), freeDisk::get);
        capacity.load(c);
        return capacity;
    }

    @Test
    void overTheLimitTheOldestTelemetryIsEvictedAndAlertsAreKept() throws SQLException {
        insert(Channel.TELEMETRY, 10);
        insert(Channel.ALERT, 5);
        insert(Channel.TELEMETRY, 10);
        OutboxCapacity capacity = capacity(2000, 4000, 0);
        assertThat(capacity.storedBytes()).isEqualTo(2500);

        OutboxCapacity.Eviction eviction = capacity.enforce(c);
        c.commit();

        assertThat(eviction.count()).isEqualTo(7); // down to 90 % of the limit
        assertThat(eviction.firstSeq()).isEqualTo(1);
        assertThat(eviction.lastSeq()).isEqualTo(7);
        assertThat(capacity.storedBytes()).isEqualTo(1800);
        assertThat(channelsBySeq()).filteredOn("ALERT"::equals).hasSize(5);
        assertThat(capacity.evictedTelemetry()).isEqualTo(7);
        assertThat(capacity(2000, 4000, 0).evictedTelemetry())
                .as("the count survives a restart")
                .isEqualTo(7);
    }

    @Test
    void withOnlyAlertsLeftNothingIsEvictedAndTelemetryIsRefusedAtTheHardCap() throws SQLException {
        insert(Channel.ALERT, 24);
        OutboxCapacity capacity = capacity(1000, 2500, 0);
        assertThat(capacity.enforce(c)).isNull();
        assertThat(capacity.admits(Channel.TELEMETRY)).isTrue();
        insert(Channel.AUDIT, 1);
        capacity.added(EVENT_BYTES);
        assertThat(capacity.enforce(c)).isNull();
        assertThat(capacity.admits(Channel.TELEMETRY)).isFalse();
        assertThat(capacity.admits(Channel.ALERT)).isTrue();
        assertThat(channelsBySeq()).hasSize(25);
    }

    @Test
    void lowFreeDiskEvictsOldTelemetryToKeepTheNewest() throws SQLException {
        insert(Channel.TELEMETRY, 10);
        freeDisk.set(500);
        OutboxCapacity capacity = capacity(1_000_000, 2_000_000, 1000);
        OutboxCapacity.Eviction eviction = capacity.enforce(c);
        assertThat(eviction.count()).isEqualTo(6);
        assertThat(capacity.storedBytes()).isEqualTo(400);
        assertThat(capacity.admits(Channel.TELEMETRY))
                .as("new telemetry fits in the pages the old left")
                .isTrue();
    }

    @Test
    void aFullDiskRefusesTelemetryFirstThenEverything() throws SQLException {
        insert(Channel.ALERT, 10);
        OutboxCapacity capacity = capacity(1_000_000, 2_000_000, 1000);
        freeDisk.set(800);
        assertThat(capacity.enforce(c)).as("alerts are never evicted").isNull();
        assertThat(capacity.admits(Channel.TELEMETRY)).isFalse();
        assertThat(capacity.admits(Channel.ALERT)).isTrue();
        freeDisk.set(400);
        capacity.enforce(c);
        assertThat(capacity.admits(Channel.ALERT)).isFalse();
        freeDisk.set(1_000_000);
        capacity.enforce(c);
        assertThat(capacity.admits(Channel.TELEMETRY)).isTrue();
        assertThat(capacity.admits(Channel.ALERT)).isTrue();
    }
}
