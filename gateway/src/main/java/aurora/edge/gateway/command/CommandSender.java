package aurora.edge.gateway.command;

/** Publishes a message from the gateway to devices (the embedded broker). */
@FunctionalInterface
public interface CommandSender {
    /** Returns false when the message was not taken (a full session queue, a stopped broker); the caller may retry. */
    boolean publish(String topic, byte[] payload);
}
