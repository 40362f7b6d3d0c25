package aurora.edge.sim;

/**
 * One message a device produced and the gateway has not acknowledged yet. Readings are kept as small integers,
 * not as rendered JSON, so a full default ring (256) costs about 10 KiB per device; {@link WireFormat} renders the
 * payload at each publish, identically every time.
 */
final class PendingMessage {
    static final byte TELEMETRY = -1;

    final long seq;
    final short batteryMv;
    final short tempDeci;
    final short humidityDeci;
    final short vibrationCenti;
    /** {@link #TELEMETRY}, or the ordinal of the {@link AlertKind}. */
    final byte alert;
    /** The device's clock (epoch ms) when it sampled: the payload's {@code ts}, the same on every resend. */
    final long sampledAt;
    /** Real {@link System#nanoTime()} of the first publish, for the publish → ack latency. */
    long firstPublishNanos;

    private boolean published;

    PendingMessage(long seq, Reading reading, byte alert) {
        this(seq, reading, alert, 0);
    }

    PendingMessage(long seq, Reading reading, byte alert, long sampledAt) {
        this.seq = seq;
        this.batteryMv = (short) reading.batteryMv();
        this.tempDeci = (short) reading.tempDeci();
        this.humidityDeci = (short) reading.humidityDeci();
        this.vibrationCenti = (short) reading.vibrationCenti();
        this.alert = alert;
        this.sampledAt = sampledAt;
    }

    void markPublished(long nanos) {
        published = true;
        firstPublishNanos = nanos;
    }

    boolean isAlert() {
        return alert != TELEMETRY;
    }

    AlertKind alertKind() {
        return isAlert() ? AlertKind.of(alert) : null;
    }

    boolean published() {
        return published;
    }
}
