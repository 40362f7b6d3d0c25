package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.SignedManifests.manifest;
import static aurora.edge.gateway.attest.SignedManifests.revoking;
import static aurora.edge.gateway.attest.SignedManifests.signed;
import static aurora.edge.gateway.attest.SignedManifests.signedBy;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.RegistrationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the watched manifest is picked up, check by check ({@code reloadIfChanged} is what the
 * attestation thread calls every 0.5 s): the timing the end-to-end tests cannot pin down.
 */
class TrustAnchorsTest {
    private static final Sha256 SENSOR_LATEST =
            SampleFirmware.latestAllowed("aurora-sensor-v1").hash();

    @TempDir
    Path dir;

    private Path manifest;
    private DeviceRegistry registry;
    private TrustAnchors anchors;
    /** Each file written gets a later modification time, as files written a check apart would. */
    private Instant modified = Instant.now();

    @BeforeEach
    void sampleManifestInForce() throws IOException {
        manifest = dir.resolve(SampleFirmware.MANIFEST);
        Files.write(manifest, SampleFirmware.resource(SampleFirmware.MANIFEST));
        Files.write(SignedManifests.signatureOf(manifest), SampleFirmware.resource(SampleFirmware.MANIFEST + ".sig"));
        Path vendorKey =
                Files.write(dir.resolve("vendor.pub.pem"), SampleFirmware.resource(SampleFirmware.VENDOR_PUBLIC_KEY));
        registry = new DeviceRegistry(DeviceRegistry.openDatabase(dir.resolve("registry.db")));
        anchors = new TrustAnchors(
                new GatewayConfig.Attest(
                        RegistrationPolicy.ENDORSED,
                        manifest,
                        SignedManifests.signatureOf(manifest),
                        vendorKey,
                        null,
                        null,
                        Duration.ofHours(24),
                        Duration.ofHours(1),
                        Duration.ofMinutes(2),
                        3,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(10),
                        true,
                        1_000,
                        false),
                registry,
                Clock.systemUTC());
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private void put(Path file, byte[] bytes) throws IOException {
        SignedManifests.moveInto(file, bytes);
        modified = modified.plusSeconds(1);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private void install(SignedManifests.Signed m) throws IOException {
        put(manifest, m.json());
        put(SignedManifests.signatureOf(manifest), m.signature());
    }

    @Test
    void aCheckBetweenTheManifestAndItsSignatureBeingReplacedNeitherTakesNorRefusesTheHalfReplacedPair()
            throws IOException {
        SignedManifests.Signed next = signed(manifest(2, revoking(SENSOR_LATEST)));

        put(manifest, next.json());
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);
        put(SignedManifests.signatureOf(manifest), next.signature());
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);

        assertThat(anchors.reloadIfChanged()).isInstanceOfSatisfying(TrustAnchors.Reload.Replaced.class, r -> {
            assertThat(r.oldSequence()).isEqualTo(1);
            assertThat(r.manifest().sequence()).isEqualTo(2);
        });
        assertThat(anchors.manifest())
                .hasValueSatisfying(m -> assertThat(m.sequence()).isEqualTo(2));
        assertThat(registry.trustedSequence(TrustAnchors.MANIFEST)).isEqualTo(2);
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);
    }

    @Test
    void aBadSignatureIsRefusedOnceAndTheManifestInForceStays() throws IOException {
        install(signedBy(
                new DevDeviceKeys("DEV ONLY not the vendor").derive("vendor", KeyAlgorithm.ECDSA_P256),
                manifest(2, revoking(SENSOR_LATEST))));

        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);
        assertThat(anchors.reloadIfChanged())
                .isInstanceOfSatisfying(
                        TrustAnchors.Reload.Refused.class,
                        r -> assertThat(r.problem()).isEqualTo("document.signature_invalid"));
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);
        assertThat(anchors.manifest())
                .hasValueSatisfying(m -> assertThat(m.sequence()).isEqualTo(1));
        assertThat(registry.trustedSequence(TrustAnchors.MANIFEST)).isEqualTo(1);
    }

    @Test
    void theSameManifestWrittenAgainChangesNothingButOtherContentUnderItsSequenceIsRefused() throws IOException {
        install(new SignedManifests.Signed(
                SampleFirmware.resource(SampleFirmware.MANIFEST),
                SampleFirmware.resource(SampleFirmware.MANIFEST + ".sig")));
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);

        install(signed(manifest(1, revoking(SENSOR_LATEST))));
        assertThat(anchors.reloadIfChanged()).isInstanceOf(TrustAnchors.Reload.Unchanged.class);
        assertThat(anchors.reloadIfChanged())
                .isInstanceOfSatisfying(
                        TrustAnchors.Reload.Refused.class,
                        r -> assertThat(r.problem()).isEqualTo(TrustAnchors.SEQUENCE_REUSED));
        assertThat(anchors.manifest()
                        .orElseThrow()
                        .board("aurora-sensor-v1")
                        .orElseThrow()
                        .image(SENSOR_LATEST)
                        .orElseThrow()
                        .isRevoked())
                .isFalse();
    }
}
