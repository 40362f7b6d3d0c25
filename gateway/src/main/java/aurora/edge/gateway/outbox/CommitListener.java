package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import java.util.List;
import java.util.Map;

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

    /** Devices started their seq over under a boot already committed; their new messages were kept under a new epoch. */
    default void rewound(List<SeqRewind> rewinds) {}

    /** The watermark passed missing seqs that the bounded rule gave up (see {@code DeviceProgress#giveUp}). */
    default void gaveUp(List<GapGivenUp> given) {}

    /** {@code count} events the gateway raised itself were dropped after failed commits: the retry buffer was full or they failed too often. */
    default void retryDropped(int count) {}

    /**
     * Device messages refused at commit because their device was at its quota of never-evicted
     * events (messages that passed intake's check while earlier ones were still queued); count per
     * device. Nothing was stored and their seqs stay unacknowledged: the devices resend them.
     */
    default void overQuota(Map<String, Integer> refusedByDevice) {}

    /** Device {@code deviceId} restarted seq at {@code seq} under {@code boot}, whose epoch {@code epoch - 1} had reached {@code previousHighest}. */
    record SeqRewind(String deviceId, long boot, int epoch, long seq, long previousHighest) {}

    /** Seqs {@code first..last} of a device's boot never arrived and are acknowledged anyway, for {@code reason} ({@code window} or {@code holes}). */
    record GapGivenUp(String deviceId, long boot, long first, long last, String reason) {}

    /** A device skipped ahead: seqs from {@code expected} to {@code received - 1} of this boot never arrived (yet). */
    record SeqGap(String deviceId, long boot, long expected, long received) {}
}
