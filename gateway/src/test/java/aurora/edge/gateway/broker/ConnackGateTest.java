package aurora.edge.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Moquette 0.17 marks a connection connected in a listener of its CONNACK write that can run after
 * the device's next packet was read; that packet used to be dropped with the connection.
 */
class ConnackGateTest {
    private final AtomicBoolean moquetteConnected = new AtomicBoolean();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new ConnackGate(c -> moquetteConnected.get(), Duration.ofSeconds(10)));

    @Test
    void aSubscribeReadBeforeMoquetteTookTheConnectionAsConnectedWaitsForItThenTheGateStepsOut() {
        MqttConnectMessage connect = connect();
        channel.writeInbound(connect);
        assertThat(channel.<Object>readInbound()).isSameAs(connect);

        MqttMessage subscribe = subscribe();
        MqttPublishMessage publish = publish();
        channel.writeInbound(subscribe);
        channel.writeInbound(publish);
        assertThat(channel.<Object>readInbound())
                .as("held until moquette is connected")
                .isNull();
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.<Object>readInbound()).as("still not connected").isNull();

        moquetteConnected.set(true);
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.<Object>readInbound()).isSameAs(subscribe);
        assertThat(channel.<Object>readInbound()).as("in order").isSameAs(publish);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.pipeline().get(ConnackGate.class))
                .as("no cost once connected")
                .isNull();
        assertThat(publish.release()).isTrue();
    }

    @Test
    void onceMoquetteIsConnectedPacketsPassAtOnceAndTheGateStepsOut() {
        channel.writeInbound(connect());
        assertThat(channel.<Object>readInbound()).isNotNull();
        moquetteConnected.set(true);

        MqttMessage subscribe = subscribe();
        channel.writeInbound(subscribe);

        assertThat(channel.<Object>readInbound()).isSameAs(subscribe);
        assertThat(channel.pipeline().get(ConnackGate.class)).isNull();
    }

    @Test
    void heldPacketsAreReleasedWhenTheConnectionCloses() {
        channel.writeInbound(connect());
        assertThat(channel.<Object>readInbound()).isNotNull();
        MqttPublishMessage publish = publish();
        channel.writeInbound(publish);

        assertThat(channel.close().isSuccess()).isTrue();

        assertThat(publish.refCnt()).isZero();
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void aConnectionMoquetteNeverConnectsGetsItsPacketsPassedOnAfterThePatienceForMoquetteToDecide() {
        channel.writeInbound(connect());
        assertThat(channel.<Object>readInbound()).isNotNull();
        MqttMessage subscribe = subscribe();
        channel.writeInbound(subscribe);

        for (int i = 0; i < 10_001; i++) {
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }

        assertThat(channel.<Object>readInbound()).isSameAs(subscribe);
    }

    private static MqttConnectMessage connect() {
        return MqttMessageBuilders.connect().clientId("sensor-1").build();
    }

    private static MqttMessage subscribe() {
        return MqttMessageBuilders.subscribe()
                .messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "aurora/command/sensor-1/#")
                .build();
    }

    private static MqttPublishMessage publish() {
        return MqttMessageBuilders.publish()
                .topicName("aurora/telemetry/sensor-1")
                .qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(2)
                .payload(Unpooled.wrappedBuffer(new byte[] {1}))
                .build();
    }
}
