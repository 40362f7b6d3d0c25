package aurora.edge.gateway.device;

/**
 * A code from one of the gateway's closed catalogues: a {@link Rejection} (something a device sent
 * was refused) or an audit or alert code of the gateway's own. The code is stable: it appears in
 * the audit stream, in alerts, in metric tags and in the logs, and SOC rules match on it.
 */
public interface EventCode {
    /** The stable code, e.g. {@code PAYLOAD_TOO_LARGE} or {@code SINK_STALLED}. */
    String code();

    Severity severity();

    /** One line for an operator: what happened. */
    String description();
}
