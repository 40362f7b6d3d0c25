package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch works on copies of each device's cached progress, digests included; the digest rings of
 * the progress a commit replaced are reused by later copies instead of allocating one per message.
 */
class SequenceTrackerRingReuseTest {
    private static final int WINDOW = 256;

    private Connection connection;
    private SequenceTracker tracker;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE device_progress (device_id TEXT NOT NULL, boot INTEGER NOT NULL,"
                    + " contiguous_seq INTEGER NOT NULL, pending TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL,"
                    + " epoch INTEGER NOT NULL DEFAULT 0, digests BLOB, PRIMARY KEY (device_id, boot)) WITHOUT ROWID");
        }
        tracker = new SequenceTracker(connection, WINDOW, 60_000);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private static String device(int i) {
        return String.format(Locale.ROOT, "dev-%03d", i);
    }

    /** Each device's own digest of each seq: different across devices, so a ring mixed up between them shows. */
    private static int digest(int device, long seq) {
        return (int) (device * 1_000_003L + seq * 7919L) | 1;
    }

    @Test
    void reusedRingsKeepEachDevicesOwnDigestsSoResendsAndRewindsAreToldApart() throws SQLException {
        for (long seq = 1; seq <= 40; seq++) {
            for (int d = 0; d < 10; d++) {
                assertThat(tracker.admit(device(d), 1, seq, digest(d, seq), 0).duplicate())
                        .isFalse();
            }
            tracker.committed(); // one message per device per batch, as a fleet at 1 Hz
        }

        for (int d = 0; d < 10; d++) {
            SequenceTracker.Admission resend = tracker.admit(device(d), 1, 35, digest(d, 35), 0);
            assertThat(resend.duplicate())
                    .as("%s resends seq 35 as sent", device(d))
                    .isTrue();
        }
        tracker.committed();
        SequenceTracker.Admission other = tracker.admit(device(3), 1, 36, digest(4, 36), 0);
        assertThat(other.duplicate())
                .as("seq 36 with another payload: a rewound stream")
                .isFalse();
        assertThat(other.rewoundFrom()).isEqualTo(40);
    }

    @Test
    void aFailedCommitLeavesTheCachedDigestsAsTheyWere() throws SQLException {
        for (long seq = 1; seq <= 5; seq++) {
            tracker.admit(device(0), 1, seq, digest(0, seq), 0);
            tracker.admit(device(1), 1, seq, digest(1, seq), 0);
            tracker.committed();
        }
        tracker.admit(device(0), 1, 6, digest(0, 6), 0);
        tracker.rolledBack();

        assertThat(tracker.admit(device(0), 1, 6, digest(9, 6), 0).duplicate())
                .as("seq 6 was never committed: new, whatever its payload")
                .isFalse();
        assertThat(tracker.admit(device(0), 1, 5, digest(0, 5), 0).duplicate()).isTrue();
    }

    @Test
    void admittingOneMessagePerDeviceAndCommittingDoesNotCopyAFreshDigestRingEachTime() throws SQLException {
        int devices = 50; // a commit at fleet rates holds ~10 devices' messages; the spare rings kept are 64
        String[] ids = new String[devices];
        for (int d = 0; d < devices; d++) {
            ids[d] = device(d);
        }
        long seq = 1;
        for (; seq <= 200; seq++) { // warm-up: first sight of each device, then let the JIT settle
            for (int d = 0; d < devices; d++) {
                tracker.admit(ids[d], 1, seq, digest(d, seq), 0);
            }
            tracker.committed();
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (long end = seq + 20; seq < end; seq++) {
            for (int d = 0; d < devices; d++) {
                tracker.admit(ids[d], 1, seq, digest(d, seq), 0);
            }
            tracker.committed();
        }
        long perMessage = (threads.getThreadAllocatedBytes(thread) - before) / (20L * devices);

        // a ring of 256 digests is 1,040 bytes; the rest (progress, runs map, admission, key) is a few hundred
        assertThat(perMessage).as("bytes allocated per message").isLessThan(700);
    }
}
