package aurora.edge.gateway.mqttsn;

/** A datagram the codec refuses; the message is ours (never the attacker's bytes), fit for a log. */
final class SnMalformed extends Exception {
    private static final long serialVersionUID = 1L;

    SnMalformed(String reason) {
        super(reason, null, false, false);
    }
}
