package aurora.edge.gateway;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.command.AckPublisher;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.outbox.CommitListener;
import aurora.edge.gateway.outbox.Watermark;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What follows an outbox commit: devices get their ack watermark, and seq gaps and evictions are
 * audited. The audit log writes through the outbox itself, so it is supplied once both exist.
 */
final class AfterCommit implements CommitListener {
    private final AckPublisher acks;
    private final Supplier<AuditLog> audit;

    AfterCommit(AckPublisher acks, Supplier<AuditLog> audit) {
        this.acks = acks;
        this.audit = audit;
    }

    @Override
    public void committed(List<Watermark> watermarks, List<SeqGap> gaps) {
        acks.acknowledge(watermarks);
        for (SeqGap g : gaps) {
            audit.get().record(AuditCode.SEQ_GAP, g.deviceId(), "device seq skipped: messages lost or withheld before the gateway",
                    Map.of("boot", g.boot(), "expected_seq", g.expected(), "received_seq", g.received()));
        }
    }

    @Override
    public void evicted(Channel channel, long count, long firstSeq, long lastSeq) {
        audit.get().record(AuditCode.OUTBOX_EVICTED, null,
                "outbox full: oldest " + channel.name().toLowerCase(Locale.ROOT) + " evicted before delivery",
                Map.of("channel", channel.name(), "count", count, "first_seq", firstSeq, "last_seq", lastSeq));
    }
}
