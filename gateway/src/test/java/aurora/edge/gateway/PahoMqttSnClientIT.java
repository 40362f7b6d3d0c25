package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interop with an MQTT-SN device that is not ours ({@link PahoSnDevice}: Eclipse Paho's packet
 * library over OpenSSL's DTLS 1.2 PSK client) on the gateway's default MQTT-SN listener (DTLS only):
 * the same accounting as MQTT into Redis and JetStream, the cumulative ack, REGISTER confined to the
 * device's own topics, QoS −1 inside the association, and a sleeping device woken by PINGREQ.
 */
class PahoMqttSnClientIT {
    private static final Duration STEP = Duration.ofSeconds(20);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of("AURORA_MQTTSN_ENABLED", "true"));

    private PahoSnDevice device(String id, byte[] psk) throws IOException {
        return stack.closeAfter(PahoSnDevice.start(stack.gateway().gateway().mqttSnPort(), id, psk));
    }

    private byte[] pskOf(String id) throws IOException {
        return new DeviceCredentials(SiteKey.load(stack.dataDir().resolve("site-device.key"))).pskFor(id);
    }

    /** The step's line that starts with {@code kind}, whatever else the device printed meanwhile. */
    private static String answer(List<String> lines, String kind) {
        return lines.stream()
                .filter(l -> l.startsWith(kind + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + lines));
    }

    private long redisEntries(String stream, String id) {
        return stack.redisProbe().entriesWithId(stream, id).size();
    }

    @Test
    void aPahoDeviceOverDtlsPskPublishesRegistersAndGetsItsCumulativeAck() throws Exception {
        String id = "paho-sn-1";
        PahoSnDevice d = device(id, pskOf(id));

        assertThat(d.step("connect:60", STEP))
                .contains("CONNACK rc=0")
                .anyMatch(l -> l.startsWith("DTLS DTLSv1.2 PSK-"));
        assertThat(d.step("sub:18:0", STEP)).contains("SUBACK topic=18 qos=0 rc=0");
        for (int seq = 1; seq <= 3; seq++) {
            assertThat(d.step("pubp:1:1:{\"boot\":1,\"seq\":" + seq + ",\"temp_c\":21.5}", STEP))
                    .contains("PUBACK msgid=" + (seq + 1) + " topic=1 rc=0");
        }
        assertThat(d.step("pubp:2:1:{\"boot\":1,\"seq\":4,\"severity\":\"critical\",\"title\":\"lid open\"}", STEP))
                .contains("PUBACK msgid=5 topic=2 rc=0");
        // Cumulative acks (topic 18) may arrive between any two steps: each step's own answer is looked up.
        String regack = answer(d.step("reg:aurora/sensors/" + id + "/telemetry", STEP), "REGACK");
        assertThat(regack).matches("REGACK topic=\\d+ rc=0");
        assertThat(Integer.parseInt(regack.replaceAll("REGACK topic=(\\d+) rc=0", "$1")))
                .as("REGISTER ids start above the predefined ones")
                .isGreaterThanOrEqualTo(256);
        assertThat(d.step("pubr:1:{\"boot\":1,\"seq\":5,\"temp_c\":22}", STEP))
                .anyMatch(l -> l.matches("PUBACK msgid=7 topic=\\d+ rc=0"));
        // Another device's topic is refused by REGISTER (return code 2: invalid topic id).
        assertThat(answer(d.step("reg:aurora/sensors/paho-sn-other/telemetry", STEP), "REGACK"))
                .isEqualTo("REGACK topic=0 rc=2");
        // The cumulative ack covering seq 5 may already have come during an earlier step.
        String ack = "PUBLISH topic=18 qos=0 msgid=0 payload={\"boot\":1,\"seq\":5}";
        if (!d.transcript().contains(ack)) {
            d.step("await:18:15:\"seq\":5", STEP);
        }
        assertThat(d.transcript()).contains(ack);
        assertThat(d.step("disconnect", STEP)).contains("DISCONNECT");
        assertThat(d.finish(STEP)).isZero();

        await().atMost(STEP).untilAsserted(() -> {
            for (int seq : new int[] {1, 2, 3, 5}) {
                assertThat(redisEntries("aurora:cps:telemetry", "site-test:" + id + ":1:" + seq))
                        .isEqualTo(1);
            }
            assertThat(redisEntries("aurora:cps:alerts", "site-test:" + id + ":1:4"))
                    .isEqualTo(1);
            assertThat(stack.nats().probe().messages("AURORA", "AURORA.alerts").stream()
                            .filter(m -> ("site-test:" + id + ":1:4").equals(m.msgId())))
                    .hasSize(1);
        });
        assertThat(stack.gateway().metric("aurora_intake_rejected", "code", "SN_TOPIC_ID_INVALID"))
                .isEqualTo(1);
    }

    @Test
    void qosMinusOneFromThePahoDeviceIsTakenInsideItsDtlsAssociationWithoutConnect() throws Exception {
        String id = "paho-sn-2";
        PahoSnDevice d = device(id, pskOf(id));

        assertThat(d.step("pubp:1:-1:{\"boot\":2,\"seq\":1,\"temp_c\":19}", STEP))
                .anyMatch(l -> l.startsWith("DTLS DTLSv1.2"));
        assertThat(d.finish(STEP)).isZero();

        await().atMost(STEP).until(() -> redisEntries("aurora:cps:telemetry", "site-test:" + id + ":2:1") == 1);
    }

    @Test
    void aSleepingPahoDeviceGetsWhatWasQueuedForItWhenItWakes() throws Exception {
        String id = "paho-sn-3";
        PahoSnDevice d = device(id, pskOf(id));
        assertThat(d.step("connect:60", STEP)).contains("CONNACK rc=0");

        // QoS 0 and straight to sleep: the cumulative ack for seq 7 is made after the commit, while it sleeps.
        d.step("pubp:1:0:{\"boot\":3,\"seq\":7,\"temp_c\":20}", STEP);
        assertThat(d.step("sleep:600", STEP)).contains("DISCONNECT");
        await().atMost(STEP)
                .until(() -> stack.gateway()
                                .gateway()
                                .metrics()
                                .registry()
                                .get("aurora_mqttsn_queued")
                                .gauge()
                                .value()
                        == 1);

        List<String> wake = d.step("wake", STEP);
        assertThat(wake)
                .containsSubsequence("PUBLISH topic=18 qos=0 msgid=0 payload={\"boot\":3,\"seq\":7}", "PINGRESP");
        assertThat(d.finish(STEP)).isZero();
    }

    @Test
    void aPahoDeviceWithTheWrongPskFailsTheHandshakeAndNothingOfItIsStored() throws Exception {
        String id = "paho-sn-4";
        byte[] wrong = pskOf("paho-sn-someone-else");
        PahoSnDevice d = device(id, wrong);

        assertThat(d.linesUntilExit(STEP)).contains("DTLS handshake failed");
        assertThat(d.finish(STEP)).isEqualTo(6);
        // The gateway cannot decrypt the device's Finished: a fatal alert, or silence until its handshake timeout.
        await().atMost(STEP)
                .until(() -> stack.gateway()
                        .gateway()
                        .metrics()
                        .registry()
                        .scrape()
                        .lines()
                        .anyMatch(l -> l.matches(
                                "aurora_mqttsn_dtls_handshakes_total\\{.*outcome=\"(failed|timeout)\".*} [1-9].*")));
        assertThat(stack.redisProbe().entries("aurora:cps:telemetry").stream()
                        .filter(e -> e.fields().getOrDefault("id", "").contains(id)))
                .isEmpty();
    }
}
