package aurora.edge.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.tls.RevokedDevices;
import aurora.edge.testing.RawMqtt;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code devices revoke ID} on a gateway without the TLS listener: devices with passwords (MQTT) and
 * plaintext MQTT-SN devices are cut off within a second and refused afterwards, other devices flow.
 */
class DevicesRevokeWithoutTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTTSN_ENABLED", "true",
            "AURORA_MQTTSN_ALLOW_PLAINTEXT", "true"));

    private Socket mqttDevice(String id) throws IOException {
        Socket s = stack.closeAfter(RawMqtt.open("127.0.0.1", stack.gateway().mqttPort()));
        String password =
                new DeviceCredentials(SiteKey.load(stack.dataDir().resolve("site-device.key"))).passwordFor(id);
        OutputStream out = s.getOutputStream();
        out.write(RawMqtt.connect(id, id, password, null, null));
        out.flush();
        return s;
    }

    private RawMqttSn snDevice(String id) {
        RawMqttSn d = stack.closeAfter(new RawMqttSn(stack.gateway().mqttSnPort()));
        d.connect(id, 60);
        assertThat(d.expect(RawMqttSn.CONNACK, WAIT)).containsExactly(3, RawMqttSn.CONNACK, 0);
        return d;
    }

    private void revoke(String id) throws IOException {
        RevokedDevices.add(RevokedDevices.file(stack.dataDir()), id, "alice", Instant.now());
    }

    private boolean inRedis(String deviceId, int seq) {
        return !stack.redisProbe()
                .entriesWithId("aurora:cps:telemetry", "site-test:" + deviceId + ":1:" + seq)
                .isEmpty();
    }

    @Test
    void aRevokedPasswordDeviceIsDisconnectedAtOnceAndRefusedAfterwardsWhileOthersFlow() throws Exception {
        assertThat(stack.gateway().mqttTlsPort()).as("no TLS listener").isEqualTo(-1);
        Socket revoked = mqttDevice("rev-mqtt-a");
        assertThat(RawMqtt.connAck(revoked)).isZero();
        Socket other = mqttDevice("rev-mqtt-b");
        assertThat(RawMqtt.connAck(other)).isZero();

        revoke("rev-mqtt-a");
        revoked.setSoTimeout(2_000);
        assertThat(RawMqtt.closedByPeer(revoked))
                .as("closed within the watch's second")
                .isTrue();

        Socket again = mqttDevice("rev-mqtt-a");
        assertThat(RawMqtt.connAck(again)).as("not authorized").isNotZero();
        await().atMost(WAIT).until(() -> stack.gateway().metric("aurora_intake_rejected", "code", "CERT_REVOKED") >= 1);

        other.getOutputStream()
                .write(RawMqtt.publish(
                        "aurora/sensors/rev-mqtt-b/telemetry", "{\"boot\":1,\"seq\":1,\"t\":20}".getBytes(UTF_8), 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("rev-mqtt-b", 1));
    }

    @Test
    void aRevokedPlaintextMqttSnDeviceLosesItsSessionAndItsNextConnectIsRefused() throws Exception {
        RawMqttSn revoked = snDevice("rev-sn-a");
        RawMqttSn other = snDevice("rev-sn-b");

        revoke("rev-sn-a");
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            // Once its session ended, a PUBLISH is refused as coming from no session.
            revoked.publish(0x01, 1, 0, "{\"boot\":1,\"seq\":1,\"t\":20}");
            assertThat(stack.gateway().metric("aurora_intake_rejected", "code", "SN_NOT_CONNECTED"))
                    .isPositive();
        });
        revoked.connect("rev-sn-a", 60);
        byte[] refused = revoked.expect(RawMqttSn.CONNACK, WAIT);
        assertThat(refused[2]).as("CONNACK rejected").isNotZero();
        assertThat(stack.gateway().metric("aurora_intake_rejected", "code", "CERT_REVOKED"))
                .isGreaterThanOrEqualTo(1);

        other.publish(0x21 /* QoS 1, predefined */, 1, 1, "{\"boot\":1,\"seq\":1,\"t\":21}");
        assertThat(other.expect(RawMqttSn.PUBACK, WAIT)[6]).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("rev-sn-b", 1));
    }
}
