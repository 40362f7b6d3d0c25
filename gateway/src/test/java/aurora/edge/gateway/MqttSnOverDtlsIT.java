package aurora.edge.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.tls.RevokedDevices;
import aurora.edge.sim.sn.DtlsPskLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT-SN over DTLS 1.2 PSK end to end: the gateway's default (no plaintext), into Redis, and revocation. */
class MqttSnOverDtlsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of("AURORA_MQTTSN_ENABLED", "true"));

    private DtlsPskLink link(String deviceId) throws IOException {
        DeviceCredentials credentials =
                new DeviceCredentials(SiteKey.load(stack.dataDir().resolve("site-device.key")));
        return stack.closeAfter(DtlsPskLink.connect(
                new InetSocketAddress(
                        InetAddress.getLoopbackAddress(),
                        stack.gateway().gateway().mqttSnPort()),
                deviceId,
                credentials.pskFor(deviceId),
                WAIT));
    }

    private static byte[] connect(String id) throws IOException {
        byte[] name = id.getBytes(UTF_8);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) (6 + name.length), 0x04, 0x04, 0x01, 0, 60});
        p.write(name);
        return p.toByteArray();
    }

    private static byte[] publishTelemetry(int msgId, String json) throws IOException {
        byte[] payload = json.getBytes(UTF_8);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        // QoS 1, predefined topic id 1 (telemetry)
        p.write(new byte[] {(byte) (7 + payload.length), 0x0C, 0x21, 0, 1, 0, (byte) msgId});
        p.write(payload);
        return p.toByteArray();
    }

    @Test
    void a_device_over_dtls_connects_with_its_psk_and_its_publish_lands_in_redis() throws IOException {
        DtlsPskLink device = link("sn-dtls-1");
        device.send(connect("sn-dtls-1"));
        assertThat(device.receive(WAIT)).containsExactly(3, 0x05, 0);
        device.send(publishTelemetry(7, "{\"boot\":1,\"seq\":1,\"temp_c\":21.5}"));
        byte[] puback = device.receive(WAIT);
        assertThat(puback).isNotNull();
        assertThat(puback[1]).isEqualTo((byte) 0x0D);
        assertThat(puback[6]).as("accepted").isZero();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !stack.redisProbe()
                        .entriesWithId("aurora:cps:telemetry", "site-test:sn-dtls-1:1:1")
                        .isEmpty());
        // What /metrics serves (the ops endpoint scrapes this registry).
        String metrics = stack.gateway().gateway().metrics().registry().scrape();
        assertThat(metrics.lines())
                .anyMatch(l -> l.matches("aurora_mqttsn_dtls_handshakes_total\\{.*outcome=\"established\".*} 1\\.0"))
                .anyMatch(l -> l.matches("aurora_mqttsn_dtls_associations\\{.*} 1\\.0"))
                .anyMatch(l -> l.matches("aurora_mqttsn_dtls_dropped_total\\{.*reason=\"oversized\".*} 0\\.0"));
    }

    @Test
    void devices_revoke_closes_the_association_and_refuses_the_next_handshake() throws Exception {
        DtlsPskLink device = link("sn-dtls-2");
        device.send(connect("sn-dtls-2"));
        assertThat(device.receive(WAIT)).containsExactly(3, 0x05, 0);

        RevokedDevices.add(RevokedDevices.file(stack.dataDir()), "sn-dtls-2", "alice", Instant.now());
        // The gateway's close_notify ends the client's link: its next receive fails or returns nothing.
        await().atMost(Duration.ofSeconds(1))
                .until(() -> stack.gateway().metric("aurora_intake_rejected", "code", "CERT_REVOKED") >= 1);
        assertThatThrownBy(() -> link("sn-dtls-2")).isInstanceOf(IOException.class);
    }
}
