package aurora.edge.gateway.command;

import java.util.List;

/**
 * One message to devices, offered to every way out (the MQTT broker, the MQTT-SN gateway): each
 * delivers only to the devices it serves. Taken when at least one took it; every sender is asked,
 * so a device's message is never left out because another way already took it.
 */
public final class FanOutSender implements CommandSender {
    private final List<CommandSender> senders;

    public FanOutSender(List<CommandSender> senders) {
        this.senders = List.copyOf(senders);
    }

    @Override
    public boolean publish(String topic, byte[] payload) {
        boolean taken = false;
        for (CommandSender s : senders) {
            taken |= s.publish(topic, payload);
        }
        return taken;
    }
}
