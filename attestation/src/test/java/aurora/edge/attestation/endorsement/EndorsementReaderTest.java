package aurora.edge.attestation.endorsement;

import static aurora.edge.attestation.TestFixtures.VENDOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.TestFixtures;
import aurora.edge.attestation.dev.DevDeviceKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndorsementReaderTest {
    private static final DevDeviceKeys KEYS = DevDeviceKeys.simFleet();
    private static final EndorsementList LIST =
            new EndorsementList(3, Instant.parse("2025-06-01T00:00:00Z"), devices(5));
    private static final byte[] JSON = EndorsementWriter.write(LIST);

    @Test
    void readsEveryEndorsedDeviceOnceTheSignatureVerifies() {
        EndorsementList read = EndorsementReader.read(JSON, VENDOR.sign(JSON), VENDOR.verifyingKey(), 0)
                .orElseThrow();

        assertThat(read.size()).isEqualTo(5);
        assertThat(read.sequence()).isEqualTo(3);
        assertThat(read.device("sim-00003")).hasValueSatisfying(d -> {
            assertThat(d.board()).isEqualTo(TestFixtures.BOARD);
            assertThat(d.publicKey()).isEqualTo(KEYS.privateKeyFor("sim-00003").verifyingKey());
        });
        assertThat(read.device("sim-00005")).isEmpty();
        assertThat(EndorsementWriter.write(read)).isEqualTo(JSON);
    }

    @Test
    void anEntryMayNameItsProtocolAndOneThatDoesNotStillReads() {
        var key = KEYS.privateKeyFor("soc-1").verifyingKey();
        EndorsementList list = new EndorsementList(
                4,
                Instant.parse("2025-06-01T00:00:00Z"),
                List.of(
                        new EndorsedDevice("soc-1", "nrf52840", key, EvidenceLayout.AURORASOC),
                        new EndorsedDevice("ours-1", TestFixtures.BOARD, key, EvidenceLayout.AURORA_V1),
                        new EndorsedDevice("old-1", TestFixtures.BOARD, key)));
        byte[] json = EndorsementWriter.write(list);

        EndorsementList read = EndorsementReader.read(json, VENDOR.sign(json), VENDOR.verifyingKey(), 0)
                .orElseThrow();

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"public_key\":\"" + Base64.getEncoder().encodeToString(key.spki())
                        + "\",\"protocol\":\"aurorasoc\"}");
        assertThat(read.device("soc-1").orElseThrow().declaredProtocol()).contains(EvidenceLayout.AURORASOC);
        assertThat(read.device("ours-1").orElseThrow().declaredProtocol()).contains(EvidenceLayout.AURORA_V1);
        assertThat(read.device("old-1").orElseThrow().declaredProtocol()).isEmpty();
        assertThat(EndorsementWriter.write(read)).isEqualTo(json);
        // The lists written before the field existed have no "protocol" and read as before (JSON above).
        assertThat(new String(JSON, StandardCharsets.UTF_8)).doesNotContain("protocol");
        assertSigned(
                new String(json, StandardCharsets.UTF_8).replace("\"aurorasoc\"", "\"mqtt-sn\""),
                Problem.DOCUMENT_SCHEMA);
    }

    @Test
    void aRelayIsAnEntryWithRoleRelayAndItsChildrenNameIt() {
        var key = KEYS.privateKeyFor("esp32s3_gw_01").verifyingKey();
        var childKey = KEYS.privateKeyFor("nrf52_sentinel_01").verifyingKey();
        EndorsementList list = new EndorsementList(
                5,
                Instant.parse("2025-06-01T00:00:00Z"),
                List.of(
                        new EndorsedDevice("esp32s3_gw_01", "esp32s3", key, null, DeviceRole.RELAY, null),
                        new EndorsedDevice(
                                "nrf52_sentinel_01",
                                "nrf52840",
                                childKey,
                                EvidenceLayout.AURORASOC,
                                DeviceRole.DEVICE,
                                "esp32s3_gw_01")));
        byte[] json = EndorsementWriter.write(list);

        EndorsementList read = EndorsementReader.read(json, VENDOR.sign(json), VENDOR.verifyingKey(), 0)
                .orElseThrow();

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"role\":\"relay\"")
                .contains("\"relay\":\"esp32s3_gw_01\"");
        assertThat(read.device("esp32s3_gw_01").orElseThrow().role()).isEqualTo(DeviceRole.RELAY);
        assertThat(read.device("nrf52_sentinel_01").orElseThrow().boundRelay()).contains("esp32s3_gw_01");
        assertThat(EndorsementWriter.write(read)).isEqualTo(json);
        String text = new String(json, StandardCharsets.UTF_8);
        assertSigned(text.replace("\"role\":\"relay\"", "\"role\":\"bridge\""), Problem.DOCUMENT_SCHEMA);
        // A child may only name an entry that is a relay.
        assertSigned(text.replace(",\"role\":\"relay\"", ""), Problem.DOCUMENT_INCONSISTENT);
        assertSigned(
                text.replace("\"relay\":\"esp32s3_gw_01\"", "\"relay\":\"nobody\""), Problem.DOCUMENT_INCONSISTENT);
    }

    @Test
    void relaysDoNotChainAndNoDeviceRelaysItself() {
        var key = KEYS.privateKeyFor("gw-1").verifyingKey();
        assertThatThrownBy(() -> new EndorsedDevice("gw-1", "esp32s3", key, null, DeviceRole.RELAY, "gw-0"))
                .hasMessageContaining("must not be relayed itself");
        assertThatThrownBy(() -> new EndorsedDevice("gw-1", "esp32s3", key, null, DeviceRole.DEVICE, "gw-1"))
                .hasMessageContaining("must be another device");
    }

    @Test
    void changedByteFailsTheSignature() {
        byte[] edited = JSON.clone();
        edited[edited.length - 30] ^= 0x04;
        assertProblem(
                EndorsementReader.read(edited, VENDOR.sign(JSON), VENDOR.verifyingKey(), 0),
                Problem.DOCUMENT_SIGNATURE_INVALID);
    }

    @Test
    void olderSequenceIsRollback() {
        assertProblem(
                EndorsementReader.read(JSON, VENDOR.sign(JSON), VENDOR.verifyingKey(), 4), Problem.DOCUMENT_ROLLBACK);
    }

    @Test
    void mcubootExampleKeyCannotSignEndorsements() {
        var example = TestFixtures.mcubootExampleKey();
        assertProblem(
                EndorsementReader.read(JSON, example.sign(JSON), example.verifyingKey(), 0),
                Problem.DOCUMENT_SIGNER_DENYLISTED);
    }

    @Test
    void deviceListedTwiceIsInconsistent() {
        String json = new String(JSON, StandardCharsets.UTF_8).replace("sim-00001", "sim-00000");
        assertSigned(json, Problem.DOCUMENT_INCONSISTENT);
    }

    @Test
    void nonP256DeviceKeyIsInconsistent() {
        String edKey = Base64.getEncoder()
                .encodeToString(TestFixtures.IMAGE_ED25519.verifyingKey().spki());
        String p256Key = Base64.getEncoder()
                .encodeToString(KEYS.privateKeyFor("sim-00002").verifyingKey().spki());
        assertSigned(new String(JSON, StandardCharsets.UTF_8).replace(p256Key, edKey), Problem.DOCUMENT_INCONSISTENT);
    }

    @Test
    void badDeviceIdOrKeyIsASchemaError() {
        String json = new String(JSON, StandardCharsets.UTF_8);
        assertSigned(json.replace("sim-00001", "sim/00001"), Problem.DOCUMENT_SCHEMA);
        assertSigned(json.replaceFirst("\"public_key\":\"MFkw", "\"public_key\":\"MFkx"), Problem.DOCUMENT_SCHEMA);
        assertSigned(json.replace("\"format_version\": 1", "\"format_version\": 2"), Problem.DOCUMENT_SCHEMA);
    }

    @Test
    void endorsedDeviceRefusesBadValuesNamingThem() {
        var key = KEYS.privateKeyFor("sim-00000").verifyingKey();
        assertThatThrownBy(() -> new EndorsedDevice("", "b", key)).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> new EndorsedDevice("d", "b d", key)).hasMessageContaining("board");
        assertThatThrownBy(() -> new EndorsedDevice(
                        "d", "b", TestFixtures.mcubootExampleKey().verifyingKey()))
                .hasMessageContaining("MCUboot example key");
    }

    private static List<EndorsedDevice> devices(int count) {
        List<EndorsedDevice> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = DevDeviceKeys.simDeviceId(i);
            devices.add(new EndorsedDevice(
                    id, TestFixtures.BOARD, KEYS.privateKeyFor(id).verifyingKey()));
        }
        return devices;
    }

    private static void assertSigned(String json, Problem problem) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertProblem(EndorsementReader.read(bytes, VENDOR.sign(bytes), VENDOR.verifyingKey(), 0), problem);
    }

    private static void assertProblem(Result<?> result, Problem problem) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(problem));
    }
}
