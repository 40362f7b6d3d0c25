package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The outbox's own meters: what was committed, refused, de-duplicated and purged, how long commits
 * take, and how the file is kept small (checkpoints, vacuumed bytes).
 */
final class OutboxMeters {
    private final Map<Channel, Counter> appended = new EnumMap<>(Channel.class);
    private final Counter duplicates;
    private final Counter commitFailures;
    private final Counter queueFull;
    private final Counter refusedFull;
    private final Counter purged;
    private final Map<Channel, Counter> evicted = new EnumMap<>(Channel.class);
    private final Timer commitTime;
    private final MeterRegistry registry;
    private final Counter vacuumed;
    private final Counter auditTrimmed;
    private final Counter heldReleased;
    private final Counter heldRefused;
    private final Counter rewinds;
    private final Counter retryDropped;

    OutboxMeters(MeterRegistry registry) {
        this.registry = registry;
        for (Channel c : Channel.values()) {
            appended.put(
                    c,
                    Counter.builder("aurora_outbox_appended")
                            .description("events committed to the outbox")
                            .tag("channel", c.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        heldReleased = Counter.builder("aurora_outbox_held_released")
                .description("held device events released to the sinks after a TRUSTED verdict")
                .register(registry);
        heldRefused = Counter.builder("aurora_outbox_held_refused")
                .description("held device events turned into UNTRUSTED_DATA audit events after a failed verdict")
                .register(registry);
        duplicates = Counter.builder("aurora_outbox_duplicates")
                .description("device resends dropped as already committed")
                .register(registry);
        commitFailures = Counter.builder("aurora_outbox_commit_failures")
                .description("events in group commits that failed")
                .register(registry);
        queueFull = Counter.builder("aurora_outbox_queue_full")
                .description("events refused because the writer queue was full")
                .register(registry);
        refusedFull = Counter.builder("aurora_outbox_refused_full")
                .description("events refused because the outbox is at its hard cap")
                .register(registry);
        purged = Counter.builder("aurora_outbox_purged")
                .description("rows removed after every sink had them")
                .register(registry);
        for (Channel c : Channel.values()) {
            evicted.put(
                    c,
                    Counter.builder("aurora_outbox_evicted")
                            .description("events evicted because the outbox was full")
                            .tag("channel", c.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        commitTime = Timer.builder("aurora_outbox_commit")
                .description("group commit duration")
                .publishPercentileHistogram(false)
                .register(registry);
        auditTrimmed = Counter.builder("aurora_audit_trail_trimmed")
                .description("local audit trail entries deleted by audit.retention or audit.max_rows")
                .register(registry);
        rewinds = Counter.builder("aurora_outbox_seq_rewinds")
                .description(
                        "devices that started their seq over under a boot already committed; kept under a new epoch")
                .register(registry);
        retryDropped = Counter.builder("aurora_outbox_retry_dropped")
                .description("gateway events given up after failed commits (retry buffer full or too many attempts)")
                .register(registry);
        vacuumed = Counter.builder("aurora_outbox_vacuumed_bytes")
                .description("free pages handed back to the file system")
                .register(registry);
    }

    void committed(int[] appendedByChannel, int duplicateRows, long nanos) {
        for (Channel c : Channel.values()) {
            if (appendedByChannel[c.ordinal()] > 0) {
                Objects.requireNonNull(appended.get(c)).increment(appendedByChannel[c.ordinal()]);
            }
        }
        duplicates.increment(duplicateRows);
        commitTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    void heldDecided(int released, int refused) {
        if (released > 0) {
            heldReleased.increment(released);
        }
        if (refused > 0) {
            heldRefused.increment(refused);
        }
    }

    void commitFailed(int events) {
        commitFailures.increment(events);
    }

    void refusedFull() {
        refusedFull.increment();
    }

    void queueFull() {
        queueFull.increment();
    }

    void evicted(Channel channel, long count) {
        Objects.requireNonNull(evicted.get(channel)).increment((double) count);
    }

    void purged(int rows) {
        purged.increment(rows);
    }

    /** One WAL checkpoint: {@code mode} passive or truncate; {@code result} complete, partial, busy or failed. */
    void checkpointed(String mode, String result) {
        Counter.builder("aurora_outbox_checkpoints")
                .description("WAL checkpoints the outbox writer ran")
                .tag("mode", mode)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    void auditTrimmed(int rows) {
        auditTrimmed.increment(rows);
    }

    void rewound(int count) {
        rewinds.increment(count);
    }

    void retryDropped(int count) {
        retryDropped.increment(count);
    }

    void vacuumed(long bytes) {
        vacuumed.increment((double) bytes);
    }
}
