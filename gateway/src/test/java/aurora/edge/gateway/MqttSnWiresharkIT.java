package aurora.edge.gateway;

import static aurora.edge.gateway.RawMqttSn.u16At;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.UdpPcap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's MQTT-SN bytes as an independent implementation reads them: a whole session (search,
 * connect, register, publishes accepted and refused, sleep, wake with a queued ack) against the real
 * gateway, written to a pcap and decoded by Wireshark's MQTT-SN dissector ({@code tshark}, Debian's
 * package). No registry serves an MQTT-SN client we could run here (PyPI is unreachable, npm's
 * packages are not served), so this is the independent check of the wire format: every packet must
 * decode, with the message types, ids and return codes the session expects, and nothing malformed.
 */
class MqttSnWiresharkIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int ALERTS = 2;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTTSN_ENABLED", "true",
            "AURORA_MQTTSN_ALLOW_PLAINTEXT", "true",
            "AURORA_MQTT_ACK_INTERVAL", "1s"));

    @TempDir
    Path dir;

    /** One decoded packet: message type, topic id, message id and return code as tshark shows them. */
    private record Decoded(
            int type, String topicId, String msgId, String returnCode, String clientId, boolean fromGateway) {}

    @Test
    void wiresharkDecodesEveryPacketOfAGatewaySessionAsTheSessionMeantIt() throws Exception {
        requireTshark();
        UdpPcap pcap = new UdpPcap();
        RawMqttSn d =
                stack.closeAfter(new RawMqttSn(stack.gateway().mqttSnPort())).recordInto(pcap);

        d.roundTrip(); // SEARCHGW → GWINFO
        d.connect("sn-ws", 60);
        assertThat(d.expect(RawMqttSn.CONNACK, WAIT)[2]).isZero();
        d.register(1, "aurora/sensors/sn-ws/telemetry");
        int topicId = u16At(d.expect(RawMqttSn.REGACK, WAIT), 2);
        d.publish(RawMqttSn.QOS1_NORMAL, topicId, 2, "{\"boot\":1,\"seq\":1,\"temp_c\":21.5}");
        assertThat(d.expect(RawMqttSn.PUBACK, WAIT)[6]).isZero();
        d.publish(RawMqttSn.QOS1_PREDEFINED, ALERTS, 3, "{\"boot\":1,\"seq\":2,\"severity\":\"high\"}");
        assertThat(d.expect(RawMqttSn.PUBACK, WAIT)[6]).isZero();
        d.publish(RawMqttSn.QOS1_NORMAL, 999, 4, "{\"boot\":1,\"seq\":3}");
        assertThat(d.expect(RawMqttSn.PUBACK, WAIT)[6]).as("invalid topic id").isEqualTo((byte) 2);
        // A reading right before sleeping: its cumulative ack (at most one a second) waits for the wake.
        d.publish(0x01 /* QoS 0, predefined */, 1, 0, "{\"boot\":1,\"seq\":4,\"temp_c\":21.0}");
        d.sleep(600);
        d.expect(RawMqttSn.DISCONNECT, WAIT);
        await().atMost(WAIT)
                .until(() -> stack.gateway()
                                .gateway()
                                .metrics()
                                .registry()
                                .get("aurora_mqttsn_queued")
                                .gauge()
                                .value()
                        >= 1);
        d.wake("sn-ws");
        d.expect(RawMqttSn.PINGRESP, WAIT);

        Path file = dir.resolve("session.pcap");
        pcap.write(file);
        List<Decoded> decoded = decode(file);

        assertThat(decoded).hasSize(pcap.size());
        // Cumulative acks (PUBLISH on the predefined ack id 18) reach an awake device whenever a commit is
        // done: how many come before the sleep depends on timing, so those are left out of the sequence.
        int wake = decoded.indexOf(
                decoded.stream().filter(p -> p.type() == 0x16).findFirst().orElseThrow());
        List<Decoded> session = new ArrayList<>();
        for (int i = 0; i < decoded.size(); i++) {
            Decoded p = decoded.get(i);
            if (i < wake && p.type() == 0x0C && p.fromGateway() && "18".equals(p.topicId())) {
                continue;
            }
            session.add(p);
        }
        String whole = decoded.toString();
        decoded = session;
        assertThat(decoded)
                .as("the session as Wireshark decoded it: %s", whole)
                .extracting(Decoded::type)
                .containsExactly(
                        0x01, 0x02, // SEARCHGW, GWINFO
                        0x04, 0x05, // CONNECT, CONNACK
                        0x0A, 0x0B, // REGISTER, REGACK
                        0x0C, 0x0D, // PUBLISH, PUBACK (registered id)
                        0x0C, 0x0D, // PUBLISH, PUBACK (predefined id)
                        0x0C, 0x0D, // PUBLISH, PUBACK (refused)
                        0x0C, // PUBLISH (QoS 0)
                        0x18, 0x18, // DISCONNECT (sleep), DISCONNECT
                        0x16, 0x0C, 0x17); // PINGREQ (wake), the queued ack, PINGRESP
        assertThat(decoded.get(2).clientId()).isEqualTo("sn-ws");
        assertThat(decoded.get(3).returnCode()).isEqualTo("0");
        assertThat(decoded.get(5).topicId()).isEqualTo(String.valueOf(topicId));
        assertThat(decoded.get(5).returnCode()).isEqualTo("0");
        assertThat(decoded.get(7).msgId()).isEqualTo("2");
        assertThat(decoded.get(9).topicId()).isEqualTo(String.valueOf(ALERTS));
        assertThat(decoded.get(11).returnCode()).isEqualTo("2");
        assertThat(decoded.get(16).topicId())
                .as("the queued ack, on the predefined ack topic id")
                .isEqualTo("18");
        assertThat(malformed(file)).as("packets Wireshark finds malformed").isEmpty();
    }

    /** `make test` installs tshark with the servers (./scripts/install-deps): a missing one fails, never skips. */
    static void requireTshark() {
        assertThat(Files.isExecutable(Path.of("/usr/bin/tshark")))
                .as("tshark is installed (./scripts/install-deps installs it)")
                .isTrue();
    }

    private static List<Decoded> decode(Path file) throws IOException, InterruptedException {
        List<Decoded> out = new ArrayList<>();
        for (String line : tshark(
                file,
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-E",
                "occurrence=f",
                "-e",
                "mqttsn.msg.type",
                "-e",
                "mqttsn.topic.id",
                "-e",
                "mqttsn.msg.id",
                "-e",
                "mqttsn.return.code",
                "-e",
                "mqttsn.client.id",
                "-e",
                "udp.srcport")) {
            String[] f = (line + "||||||").split("\\|", -1);
            out.add(new Decoded(
                    Integer.decode(f[0]),
                    f[1],
                    f[2],
                    returnCode(f[3]),
                    f[4],
                    String.valueOf(UdpPcap.SERVER_PORT).equals(f[5])));
        }
        return out;
    }

    /** tshark prints the return code as a number, or as {@code 0x00} on some versions. */
    private static String returnCode(String shown) {
        return shown.isEmpty() ? "" : String.valueOf(Integer.decode(shown));
    }

    private static List<String> malformed(Path file) throws IOException, InterruptedException {
        return tshark(
                file, "-Y", "_ws.malformed || _ws.expert.severity >= \"error\"", "-T", "fields", "-e", "frame.number");
    }

    static List<String> tshark(Path file, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("tshark", "-n", "-r", file.toString(), "-d", "udp.port==" + UdpPcap.SERVER_PORT + ",mqttsn"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit code").isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
