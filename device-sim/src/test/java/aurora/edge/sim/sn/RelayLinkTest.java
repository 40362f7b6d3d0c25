package aurora.edge.sim.sn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What travels on a relay's one association: its children's packets encapsulated, its own session's not. */
class RelayLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** What the relay sent upstream, and what the test makes the gateway send it. */
    private final BlockingQueue<byte[]> upstreamSent = new LinkedBlockingQueue<>();

    private final BlockingQueue<byte[]> fromGateway = new LinkedBlockingQueue<>();
    private final RelayLink relay = new RelayLink("relay-01", new SnLink() {
        @Override
        public void send(byte[] packet) {
            upstreamSent.add(packet);
        }

        @Override
        public byte @Nullable [] receive(Duration timeout) throws IOException {
            try {
                return fromGateway.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void close() {}
    });

    @AfterEach
    void close() {
        relay.close();
    }

    @Test
    void theRelaysOwnSessionGoesUnencapsulatedAndTakesWhatIsNotAForwarderFrame() throws Exception {
        SnLink own = relay.ownLink();
        SnLink child = relay.child("child-1");

        byte[] connect = SnCodec.connect("relay-01", false, 60);
        own.send(connect);
        assertThat(upstreamSent.poll(5, TimeUnit.SECONDS)).isEqualTo(connect);

        byte[] connack = SnCodec.connack(SnCodec.ACCEPTED);
        byte[] forChild =
                SnCodec.publish(SnCodec.Qos.AT_LEAST_ONCE, false, SnCodec.TOPIC_PREDEFINED, 2, 7, new byte[] {1});
        fromGateway.add(SnCodec.encapsulate("child-1".getBytes(StandardCharsets.UTF_8), forChild));
        fromGateway.add(connack);

        assertThat(own.receive(WAIT)).isEqualTo(connack);
        assertThat(child.receive(WAIT)).isEqualTo(forChild);
        assertThat(relay.dropped()).isZero();
    }

    @Test
    void withoutItsOwnSessionOpenAPacketThatIsNotAForwarderFrameIsDroppedAndCounted() {
        SnLink own = relay.ownLink();
        own.close();

        fromGateway.add(SnCodec.connack(SnCodec.ACCEPTED));

        await().atMost(WAIT).until(() -> relay.dropped() == 1);
    }
}
