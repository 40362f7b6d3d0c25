package aurora.edge.gateway.broker;

import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.outbox.StoreReceipt;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBufUtil;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's interceptor, the only way device data enters the gateway. It copies the payload,
 * releases Moquette's buffer and hands the bytes to {@link Intake}. (A forged last will is refused
 * before CONNACK by {@link DeviceAuthenticator}: disconnecting here, after the fact, is what made
 * Moquette publish it.) Runs on Moquette's single interceptor thread:
 * never blocks, never throws.
 */
final class PublishListener extends AbstractInterceptHandler {
    private static final Logger log = LoggerFactory.getLogger(PublishListener.class);

    private final Intake intake;
    private final Clock clock;

    PublishListener(Intake intake, Clock clock) {
        this.intake = intake;
        this.clock = clock;
    }

    @Override
    public String getID() {
        return "aurora-intake";
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        try {
            byte[] payload = ByteBufUtil.getBytes(msg.getPayload());
            String client = msg.getClientID();
            String topic = msg.getTopicName();
            // TopicPolicy let it through: on the client's own topic, or a relay's on a bound child's.
            String owner = DeviceTopic.parse(topic).map(DeviceTopic::deviceId).orElse(client);
            if (owner.equals(client)) {
                intake.accept(client, topic, payload, clock.instant());
            } else {
                intake.acceptRelayed(client, owner, topic, payload, clock.instant(), StoreReceipt.NONE);
            }
        } catch (Throwable t) {
            log.error("intake failed client_id={} error={}", msg.getClientID(), t.toString(), t);
        } finally {
            msg.getPayload().release();
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        log.error("broker session loop error error={}", error.toString(), error);
    }
}
