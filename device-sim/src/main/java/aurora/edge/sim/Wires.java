package aurora.edge.sim;

import aurora.edge.sim.sn.RelayLink;
import aurora.edge.sim.sn.SnLink;
import aurora.edge.sim.sn.SnLinks;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds the fleet's {@link DeviceConnection.Factory} for its {@link WireSettings}, and owns what devices share on
 * that wire (the relay's association). Closed by the fleet after its devices.
 */
final class Wires implements AutoCloseable {
    private final FleetSpec spec;
    private final ScheduledExecutorService scheduler;
    private RelayLink relay;

    Wires(FleetSpec spec, ScheduledExecutorService scheduler) {
        this.spec = spec;
        this.scheduler = scheduler;
    }

    DeviceConnection.Factory factory(int nettyThreads) {
        WireSettings wire = spec.wire();
        MqttClientExecutorConfig executors =
                MqttClientExecutorConfig.builder().nettyThreads(nettyThreads).build();
        return switch (wire.transport()) {
            case MQTT_TCP -> HiveMqConnection.factory(spec.host(), spec.port(), executors, scheduler);
            case MQTT_TLS ->
                HiveMqConnection.tlsFactory(spec.host(), spec.port(), deviceTls(wire), executors, scheduler);
            case MQTTSN_DTLS, MQTTSN_RELAY ->
                SnConnection.factory(
                        wire.transport() == WireTransport.MQTTSN_RELAY ? this::relayChild : this::ownLink,
                        wire.snQos(),
                        realPoll(),
                        scheduler);
        };
    }

    /**
     * On {@code mqttsn-relay}, the connection of the relay's own session (an attested device of its own,
     * unencapsulated on the association it carries its children in); on any other wire none.
     */
    Optional<DeviceConnection.Factory> relayFactory() {
        WireSettings wire = spec.wire();
        if (wire.transport() != WireTransport.MQTTSN_RELAY) {
            return Optional.empty();
        }
        return Optional.of(SnConnection.factory(this::relayOwn, wire.snQos(), realPoll(), scheduler));
    }

    private static DeviceTls deviceTls(WireSettings wire) {
        try {
            return new DeviceTls(wire.tlsCa(), wire.tlsCerts());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device's poll period in real time: the device wakes this often while asleep. */
    private Duration realPoll() {
        long nanos = (long) (spec.model().pollInterval().toNanos() / spec.acceleration());
        return Duration.ofNanos(Math.max(Duration.ofMillis(10).toNanos(), nanos));
    }

    private InetSocketAddress gateway() {
        return new InetSocketAddress(spec.host(), spec.port());
    }

    /** A device's own association: DTLS with its PSK, or plain UDP in the lab. */
    private SnLink ownLink(DeviceCredentials credentials) throws IOException {
        return open(credentials);
    }

    private SnLink open(DeviceCredentials credentials) throws IOException {
        if (spec.wire().snPlaintext()) {
            return SnLinks.udp(gateway());
        }
        return SnLinks.dtls(gateway(), credentials.deviceId(), psk(credentials));
    }

    /** A child's slot in the relay's association; the association is opened by the first to use it. */
    private synchronized SnLink relayChild(DeviceCredentials child) throws IOException {
        return relay().child(child.deviceId());
    }

    /** The relay's own session on its association (its credentials are the relay id's). */
    private synchronized SnLink relayOwn(DeviceCredentials relayCredentials) throws IOException {
        return relay().ownLink();
    }

    private RelayLink relay() throws IOException {
        if (relay == null) {
            String relayId = spec.wire().relayId();
            relay = new RelayLink(relayId, open(DeviceCredentials.derive(spec.siteKey(), relayId)));
        }
        return relay;
    }

    /**
     * The DTLS pre-shared key: HMAC-SHA256(site key, id), the secret behind the MQTT password. A
     * {@code wrong-password} device's password is not derived, so it presents a wrong PSK.
     */
    static byte[] psk(DeviceCredentials credentials) {
        try {
            return Base64.getUrlDecoder().decode(credentials.password());
        } catch (IllegalArgumentException notBase64) {
            return credentials.password().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public synchronized void close() {
        if (relay != null) {
            relay.close();
        }
    }
}
