package aurora.edge.gateway.command;

import org.jspecify.annotations.Nullable;

/**
 * The gateway's way to devices before the broker exists: components that talk to devices are built
 * before the broker (the broker needs them), so they get this sender, and the broker is attached
 * once it has started. Until then, and after a failed start, nothing is taken.
 */
public final class DeferredSender implements CommandSender {
    private volatile @Nullable CommandSender target;

    public void attach(CommandSender sender) {
        this.target = sender;
    }

    @Override
    public boolean publish(String topic, byte[] payload) {
        CommandSender t = target;
        return t != null && t.publish(topic, payload);
    }
}
