package aurora.edge.gateway;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.command.AckPublisher;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Rejection;
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
    private final Supplier<RejectionReporter> rejections;

    AfterCommit(AckPublisher acks, Supplier<AuditLog> audit, Supplier<RejectionReporter> rejections) {
        this.acks = acks;
        this.audit = audit;
        this.rejections = rejections;
    }

    @Override
    public void overQuota(Map<String, Integer> refusedByDevice) {
        RejectionReporter reporter = rejections.get();
        if (reporter != null) {
            refusedByDevice.forEach((device, count) -> {
                for (int i = 0; i < count; i++) {
                    reporter.reject(Rejection.DEVICE_QUOTA_EXCEEDED, device, "refused at commit");
                }
            });
        }
    }

    @Override
    public void committed(List<Watermark> watermarks, List<SeqGap> gaps) {
        acks.acknowledge(watermarks);
        for (SeqGap g : gaps) {
            audit.get()
                    .record(
                            AuditCode.SEQ_GAP,
                            g.deviceId(),
                            "device seq skipped: messages lost or withheld before the gateway",
                            Map.of("boot", g.boot(), "expected_seq", g.expected(), "received_seq", g.received()));
        }
    }

    @Override
    public void rewound(List<SeqRewind> rewinds) {
        for (SeqRewind r : rewinds) {
            audit.get()
                    .record(
                            AuditCode.SEQ_REWIND,
                            r.deviceId(),
                            "device seq started over under a boot already seen (reset or reflash): its new messages are kept under a new epoch",
                            Map.of(
                                    "boot",
                                    r.boot(),
                                    "epoch",
                                    r.epoch(),
                                    "seq",
                                    r.seq(),
                                    "previous_highest_seq",
                                    r.previousHighest()));
        }
    }

    @Override
    public void gaveUp(List<GapGivenUp> given) {
        for (GapGivenUp g : given) {
            audit.get()
                    .record(
                            AuditCode.SEQ_GAP_GIVEN_UP,
                            g.deviceId(),
                            "missing device seqs acknowledged anyway: the device can no longer resend them",
                            Map.of(
                                    "boot",
                                    g.boot(),
                                    "first_seq",
                                    g.first(),
                                    "last_seq",
                                    g.last(),
                                    "reason",
                                    g.reason()));
        }
    }

    @Override
    public void retryDropped(int count) {
        audit.get()
                .record(
                        AuditCode.OUTBOX_RETRY_DROPPED,
                        null,
                        "gateway events lost after repeated outbox commit failures",
                        Map.of("count", count));
    }

    @Override
    public void evicted(Channel channel, long count, long firstSeq, long lastSeq) {
        audit.get()
                .record(
                        AuditCode.OUTBOX_EVICTED,
                        null,
                        "outbox full: oldest " + channel.name().toLowerCase(Locale.ROOT) + " evicted before delivery",
                        Map.of("channel", channel.name(), "count", count, "first_seq", firstSeq, "last_seq", lastSeq));
    }
}
