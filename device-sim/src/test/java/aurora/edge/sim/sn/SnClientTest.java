package aurora.edge.sim.sn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's request/answer matching and its duties toward the gateway, over an in-memory link. */
class SnClientTest {
    /** What the client sent, and what the test makes the gateway answer. */
    private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();

    private final BlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final SnClient client = new SnClient(
            "d1",
            new SnLink() {
                @Override
                public void send(byte[] packet) {
                    sent.add(packet);
                }

                @Override
                public byte @Nullable [] receive(Duration timeout) throws java.io.IOException {
                    try {
                        return toClient.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        throw new java.io.IOException(e);
                    }
                }

                @Override
                public void close() {}
            },
            Duration.ofMillis(500),
            new SnClient.Listener() {
                @Override
                public void published(int topicIdType, int topicId, byte[] data) {
                    delivered.add(topicId + " " + new String(data, StandardCharsets.UTF_8));
                }

                @Override
                public void linkFailed(Throwable cause) {
                    failures.add(cause);
                }
            });

    @AfterEach
    void close() {
        client.close();
    }

    private SnCodec.Packet next() throws InterruptedException {
        byte[] p = sent.poll(2, TimeUnit.SECONDS);
        assertThat(p).as("a packet from the client").isNotNull();
        return SnCodec.decode(p);
    }

    @Test
    void aQos1PublishCompletesOnlyOnItsOwnPuback() throws Exception {
        var first = client.publish(SnCodec.Qos.AT_LEAST_ONCE, SnCodec.TOPIC_PREDEFINED, 1, new byte[] {1});
        var second = client.publish(SnCodec.Qos.AT_LEAST_ONCE, SnCodec.TOPIC_PREDEFINED, 1, new byte[] {2});
        SnCodec.Packet p1 = next();
        SnCodec.Packet p2 = next();
        toClient.add(SnCodec.puback(1, p2.msgId(), 0));
        second.get(2, TimeUnit.SECONDS);
        assertThat(first).isNotDone();
        toClient.add(SnCodec.puback(1, p1.msgId(), 0));
        first.get(2, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedRegisterFailsWithTheReturnCodeAndAnUnansweredRequestTimesOut() throws Exception {
        var register = client.register("aurora/sensors/other/telemetry");
        SnCodec.Packet r = next();
        toClient.add(SnCodec.regack(0, r.msgId(), 2));
        assertThatThrownBy(() -> register.get(2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SnClient.RefusedException.class)
                .hasMessageContaining("ReturnCode 2");
        var wake = client.wake();
        assertThat(next().type()).isEqualTo(SnCodec.PINGREQ);
        assertThatThrownBy(() -> wake.get(2, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
    }

    @Test
    void messagesQueuedForASleepingClientArriveBeforeThePingrespAndQos1OnesAreAcknowledged() throws Exception {
        var wake = client.wake();
        SnCodec.Packet ping = next();
        assertThat(new String(ping.data(), StandardCharsets.UTF_8)).isEqualTo("d1");
        toClient.add(SnCodec.publish(
                SnCodec.Qos.AT_LEAST_ONCE,
                false,
                SnCodec.TOPIC_PREDEFINED,
                PredefinedTopics.ACK,
                42,
                "{}".getBytes(StandardCharsets.UTF_8)));
        toClient.add(new byte[] {2, SnCodec.PINGRESP});
        wake.get(2, TimeUnit.SECONDS);
        assertThat(delivered).containsExactly(PredefinedTopics.ACK + " {}");
        SnCodec.Packet puback = next();
        assertThat(puback.type()).isEqualTo(SnCodec.PUBACK);
        assertThat(puback.msgId()).isEqualTo(42);
        assertThat(puback.topicId()).isEqualTo(PredefinedTopics.ACK);
    }

    @Test
    void anUnaskedDisconnectFromTheGatewayIsALostLink() {
        toClient.add(SnCodec.disconnect(null));
        await().atMost(Duration.ofSeconds(2)).until(() -> !failures.isEmpty());
        assertThat(failures.get(0)).hasMessageContaining("the gateway sent DISCONNECT");
    }
}
