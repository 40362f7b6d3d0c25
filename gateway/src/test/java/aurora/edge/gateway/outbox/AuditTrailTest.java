package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {
    private static final long NOW = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
    private static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    private static AuditTrail.Entry entry(int n, long at) {
        return new AuditTrail.Entry(
                at, "gw:" + n, "d1", "UNTRUSTED_DATA", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> kept(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id FROM audit_log ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    @Test
    void entriesOlderThanTheRetentionAndBeyondTheRowLimitAreTrimmedOldestFirst() throws Exception {
        try (Connection c = Database.open(dir.resolve("a.db")).openWriter()) {
            c.setAutoCommit(false);
            AuditTrail trail = new AuditTrail(Duration.ofDays(30), 5);
            trail.save(c, List.of(entry(1, NOW - 40 * DAY), entry(2, NOW - 31 * DAY), entry(3, NOW - 2 * DAY)));
            assertThat(trail.trim(c, NOW)).isEqualTo(2);
            assertThat(kept(c)).containsExactly("gw:3");

            trail.save(
                    c, IntStream.rangeClosed(4, 10).mapToObj(n -> entry(n, NOW)).toList());
            assertThat(trail.trim(c, NOW)).isEqualTo(3);
            assertThat(kept(c)).containsExactly("gw:6", "gw:7", "gw:8", "gw:9", "gw:10");
            assertThat(trail.trim(c, NOW)).isZero();
            c.commit();
        }
    }

    @Test
    void oneTrimDeletesAtMostOneBatch() throws Exception {
        try (Connection c = Database.open(dir.resolve("b.db")).openWriter()) {
            c.setAutoCommit(false);
            AuditTrail trail = new AuditTrail(Duration.ofDays(1), 1);
            trail.save(
                    c,
                    IntStream.rangeClosed(1, AuditTrail.TRIM_BATCH + 5)
                            .mapToObj(n -> entry(n, NOW))
                            .toList());
            assertThat(trail.trim(c, NOW)).isEqualTo(AuditTrail.TRIM_BATCH);
            assertThat(trail.trim(c, NOW)).isEqualTo(4);
            assertThat(kept(c)).hasSize(1);
            c.commit();
        }
    }

    @Test
    void theOutboxKeepsItsAuditTrailWithinTheRowLimit() throws Exception {
        Database database = Database.open(dir.resolve("o.db"));
        OutboxLimits limits = new OutboxLimits(1L << 30, 1L << 30, 0, Duration.ofDays(30), 100);
        try (Outbox outbox = new Outbox(
                database,
                "gw1",
                "site1",
                List.of(),
                1000,
                100,
                Duration.ofMillis(2),
                limits,
                (w, g) -> {},
                new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            for (int i = 1; i <= 300; i++) {
                outbox.offer(new PendingEvent(
                        "d1",
                        Channel.AUDIT,
                        Severity.HIGH,
                        null,
                        Instant.now(),
                        "UNTRUSTED_DATA",
                        id -> "{}".getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
            try (Connection reader = database.openReader()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> kept(reader).size() == 100);
            }
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new AuditTrail(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditTrail(Duration.ofDays(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
