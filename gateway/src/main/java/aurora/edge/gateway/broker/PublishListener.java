package aurora.edge.gateway.broker;

import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.audit.RejectionReporter;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBufUtil;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's interceptor, the only way device data enters the gateway. It copies the payload,
 * releases Moquette's buffer and hands the bytes to {@link Intake}; it also refuses a CONNECT that
 * carries a last will on another device's topic. Runs on Moquette's single interceptor thread:
 * never blocks, never throws.
 */
final class PublishListener extends AbstractInterceptHandler {
    private static final Logger log = LoggerFactory.getLogger(PublishListener.class);

    private final Intake intake;
    private final RejectionReporter rejections;
    private final Clock clock;
    private final Consumer<String> disconnect;

    PublishListener(Intake intake, RejectionReporter rejections, Clock clock, Consumer<String> disconnect) {
        this.intake = intake;
        this.rejections = rejections;
        this.clock = clock;
        this.disconnect = disconnect;
    }

    @Override
    public String getID() {
        return "aurora-intake";
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        try {
            byte[] payload = ByteBufUtil.getBytes(msg.getPayload());
            intake.accept(msg.getClientID(), msg.getTopicName(), payload, clock.instant());
        } catch (Throwable t) {
            log.error("intake failed client_id={} error={}", msg.getClientID(), t.toString(), t);
        } finally {
            msg.getPayload().release();
        }
    }

    /**
     * Moquette 0.17 does not check a will against the authorizer, so a device could leave a forged
     * "alert" for another device behind. No device can subscribe to sensor topics and intake never
     * reads wills, so such a will reaches nobody; the device is still disconnected and audited.
     */
    @Override
    public void onConnect(InterceptConnectMessage msg) {
        try {
            if (!msg.isWillFlag()) {
                return;
            }
            String client = msg.getClientID();
            var willTopic = DeviceTopic.parse(msg.getWillTopic());
            if (willTopic.isEmpty() || !willTopic.get().deviceId().equals(client)) {
                rejections.reject(Rejection.WILL_NOT_OWNED, client, "will_topic=" + msg.getWillTopic());
                disconnect.accept(client);
            }
        } catch (Throwable t) {
            log.error("connect check failed client_id={} error={}", msg.getClientID(), t.toString());
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        log.error("broker session loop error error={}", error.toString(), error);
    }
}
