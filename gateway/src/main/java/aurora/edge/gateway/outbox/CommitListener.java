package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import java.util.List;

/** Told after each group commit; runs on the writer thread, so it must only hand work off. */
@FunctionalInterface
public interface CommitListener {
    /**
     * @param watermarks the new acknowledgement watermark of every device the batch touched,
     *                   duplicates included (a resending device must learn it can stop)
     * @param gaps       seq gaps the batch revealed (a message lost or withheld before the gateway)
     */
    void committed(List<Watermark> watermarks, List<SeqGap> gaps);

    /** The outbox was over its limits and evicted {@code count} events of {@code channel}, seqs {@code firstSeq..lastSeq}. */
    default void evicted(Channel channel, long count, long firstSeq, long lastSeq) {}

    /** A device skipped ahead: seqs from {@code expected} to {@code received - 1} of this boot never arrived (yet). */
    record SeqGap(String deviceId, long boot, long expected, long received) {}
}
