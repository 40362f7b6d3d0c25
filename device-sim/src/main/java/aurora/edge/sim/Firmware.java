package aurora.edge.sim;

import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.mcuboot.McubootImage;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleImage;
import aurora.edge.firmware.SampleKind;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The MCUboot images simulated devices run, from firmware-images' DEV samples, read once per fleet and shared by
 * every device: board class → behaviour → what the device's measured boot hands over (TLV hash, version, security
 * counter, signer key hash). A device running the tampered image reports the hash its bootloader recomputes, not
 * the one its TLV claims; MCUboot's measured boot copies the TLV only after validating it.
 */
final class Firmware {
    private final Map<String, Map<Behaviour, RunningFirmware>> byBoard = new HashMap<>();

    Firmware() {
        for (String board : SampleFirmware.BOARDS) {
            Map<Behaviour, RunningFirmware> images = new EnumMap<>(Behaviour.class);
            RunningFirmware honest = read(SampleFirmware.latestAllowed(board), false);
            for (Behaviour b : Behaviour.values()) {
                images.put(b, honest);
            }
            images.put(Behaviour.TAMPERED_FIRMWARE, read(SampleFirmware.image(board, SampleKind.TAMPERED), true));
            images.put(
                    Behaviour.EXAMPLE_KEY_FIRMWARE,
                    read(SampleFirmware.image(board, SampleKind.MCUBOOT_EXAMPLE_KEY), false));
            images.put(Behaviour.REVOKED_FIRMWARE, read(SampleFirmware.image(board, SampleKind.REVOKED), false));
            byBoard.put(board, images);
        }
    }

    /**
     * The board class a simulated relay reports (the sample images have no ESP32-S3 class; it runs the default
     * sensor board's image, as endorsement lists for simulated relays have it).
     */
    static final String RELAY_BOARD = SampleFirmware.boardOfSimDevice(0);

    /** The board class of device {@code index}, as the sample endorsement list has it. */
    static String boardOf(int index) {
        return SampleFirmware.boardOfSimDevice(index);
    }

    RunningFirmware running(String board, Behaviour behaviour) {
        return byBoard.get(board).get(behaviour);
    }

    private static RunningFirmware read(SampleImage sample, boolean recomputeHash) {
        McubootImage image = McubootImage.parse(SampleFirmware.bytes(sample)).orElseThrow();
        RunningFirmware claimed = RunningFirmware.of(image);
        if (!recomputeHash) {
            return claimed;
        }
        return new RunningFirmware(image.computeHash(), claimed.version(), claimed.securityCounter(), claimed.signer());
    }
}
