package aurora.edge.gateway.attest;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.endorsement.EndorsementReader;
import aurora.edge.attestation.evidence.EvidenceVerifier;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestReader;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.registry.DeviceRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor-signed documents the gateway trusts: the firmware manifest and the endorsement list,
 * each verified over its exact bytes with the pinned vendor key before parsing. Their highest
 * sequence is kept in the registry, so neither a file swap nor a restart can roll them back. A
 * bad file at start stops the gateway; a bad replacement at runtime is refused and the current
 * document stays.
 */
final class TrustAnchors {
    private static final Logger log = LoggerFactory.getLogger(TrustAnchors.class);
    static final String MANIFEST = "manifest";
    static final String ENDORSEMENTS = "endorsements";
    /** A signed manifest with the trusted sequence but other content: a change must come with a higher sequence. */
    static final String SEQUENCE_REUSED = "document.sequence_reused";

    /** What a reload check found. */
    sealed interface Reload permits Reload.Unchanged, Reload.Replaced, Reload.Refused {
        record Unchanged() implements Reload {}

        record Replaced(long oldSequence, Manifest manifest) implements Reload {}

        /** The replacement was not taken: {@code problem} is a stable code (e.g. {@code document.rollback}). */
        record Refused(String problem, String detail) implements Reload {}
    }

    private record Stamp(long modified, long size) {
        static Stamp of(@Nullable Path... files) {
            long modified = 0;
            long size = 0;
            try {
                for (Path f : files) {
                    if (f == null) {
                        return new Stamp(-1, -1); // ConfigLoader requires the pair; as for a missing file
                    }
                    modified = Math.max(modified, Files.getLastModifiedTime(f).toMillis());
                    size += Files.size(f);
                }
            } catch (IOException e) {
                return new Stamp(-1, -1);
            }
            return new Stamp(modified, size);
        }
    }

    private final GatewayConfig.Attest config;
    private final DeviceRegistry registry;
    private final Clock clock;
    private final @Nullable VerifyingKey vendorKey;
    private volatile @Nullable Manifest manifest;
    private volatile @Nullable EndorsementList endorsements;
    private volatile @Nullable EvidenceVerifier verifier;
    /** Image hashes revoked by active federation IOCs; they add to the manifest's revocations and never lift one. */
    private volatile Set<Sha256> revokedByIoc;

    private @Nullable Stamp manifestStamp;
    /** The manifest files as the last check saw them, while they differ from what was last read. */
    private @Nullable Stamp manifestSeen;

    private @Nullable Stamp endorsementStamp;

    TrustAnchors(GatewayConfig.Attest config, DeviceRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.vendorKey = config.vendorKey() == null ? null : vendorKey(config.vendorKey());
        this.revokedByIoc =
                registry.revokedHashes().stream().map(Sha256::fromHex).collect(Collectors.toUnmodifiableSet());
        if (config.manifest() != null) {
            manifestStamp = Stamp.of(config.manifest(), config.manifestSignature());
            manifest = readManifest().orElseThrow();
            verifier = new EvidenceVerifier(manifest, revokedByIoc);
            registry.saveTrustedSequence(MANIFEST, manifest.sequence());
        }
        if (config.endorsements() != null) {
            endorsementStamp = Stamp.of(config.endorsements(), config.endorsementsSignature());
            endorsements = readEndorsements().orElseThrow();
            registry.saveTrustedSequence(ENDORSEMENTS, endorsements.sequence());
        }
        log.info(
                "trust anchors loaded manifest={} manifest_sequence={} endorsements={} endorsed_devices={} revoked_by_ioc={}",
                config.manifest(),
                manifest == null ? "none" : manifest.sequence(),
                config.endorsements(),
                endorsements == null ? 0 : endorsements.size(),
                revokedByIoc.size());
    }

    boolean attestationEnabled() {
        return verifier != null;
    }

    Optional<EndorsedDevice> endorsed(String deviceId) {
        EndorsementList list = endorsements;
        return list == null ? Optional.empty() : list.device(deviceId);
    }

    /** The devices the endorsement list binds to {@code relayId}. */
    Set<String> endorsedChildrenOf(String relayId) {
        EndorsementList list = endorsements;
        if (list == null) {
            return Set.of();
        }
        Set<String> children = new TreeSet<>();
        for (EndorsedDevice d : list.devices()) {
            if (relayId.equals(d.relay())) {
                children.add(d.deviceId());
            }
        }
        return children;
    }

    Optional<Manifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /** Only while {@link #attestationEnabled()}: there is a verifier once a manifest is configured. */
    EvidenceVerifier verifier() {
        return Objects.requireNonNull(verifier, "no attest.manifest configured");
    }

    /** Called on the attestation thread: from now on evidence for this image is REVOKED. */
    void revokeByIoc(Sha256 hash) {
        Set<Sha256> revoked = new HashSet<>(revokedByIoc);
        if (revoked.add(hash)) {
            revokedByIoc = Set.copyOf(revoked);
            if (manifest != null) {
                verifier = new EvidenceVerifier(manifest, revokedByIoc);
            }
        }
    }

    /** Called on the attestation thread after an indicator was withdrawn: the revocations are those of the active indicators again. */
    void refreshIocRevocations() {
        revokedByIoc = registry.revokedHashes().stream().map(Sha256::fromHex).collect(Collectors.toUnmodifiableSet());
        if (manifest != null) {
            verifier = new EvidenceVerifier(manifest, revokedByIoc);
        }
    }

    /**
     * Called on the attestation thread: picks up a replaced endorsement list. Returns the list now in
     * force when it was replaced (with a higher sequence), else empty.
     */
    Optional<EndorsementList> reloadEndorsementsIfChanged() {
        if (config.endorsements() == null) {
            return Optional.empty();
        }
        Stamp now = Stamp.of(config.endorsements(), config.endorsementsSignature());
        if (now.equals(endorsementStamp) || now.size() < 0) {
            return Optional.empty();
        }
        endorsementStamp = now;
        long old = Objects.requireNonNull(endorsements, "endorsements are read at start when configured")
                .sequence();
        Optional<EndorsementList> read = readEndorsements().filter(list -> list.sequence() != old);
        read.ifPresent(list -> {
            endorsements = list;
            registry.saveTrustedSequence(ENDORSEMENTS, list.sequence());
            log.info(
                    "endorsement list replaced old_sequence={} new_sequence={} endorsed_devices={}",
                    old,
                    list.sequence(),
                    list.size());
        });
        return read;
    }

    /** Called on the attestation thread: picks up a replaced manifest. */
    Reload reloadIfChanged() {
        if (config.manifest() == null) {
            return new Reload.Unchanged();
        }
        Stamp now = Stamp.of(config.manifest(), config.manifestSignature());
        if (now.equals(manifestStamp) || now.size() < 0) {
            return new Reload.Unchanged();
        }
        // The manifest and its signature are two files, replaced one after the other. Read them once
        // they have not changed for a whole check, so a check that falls between the two writes does
        // not refuse (and audit as refused) a pair that was only half replaced.
        if (!now.equals(manifestSeen)) {
            manifestSeen = now;
            return new Reload.Unchanged();
        }
        manifestStamp = now;
        long old = trustedManifest().sequence();
        Result<Manifest> result = verifiedManifest();
        if (result instanceof Result.Failed<Manifest> failed) {
            return refused(failed.problem().code(), failed.detail());
        }
        Manifest read = result.orElseThrow();
        if (read.sequence() == old) {
            // The same document again (copied over itself) changes nothing; other content under the same
            // sequence is refused out loud, not ignored in silence, so the operator learns it is not in force.
            return read.equals(manifest)
                    ? new Reload.Unchanged()
                    : refused(
                            SEQUENCE_REUSED,
                            "sequence " + old
                                    + " is the trusted manifest's, with other content; a change needs a higher sequence");
        }
        manifest = read;
        verifier = new EvidenceVerifier(manifest, revokedByIoc);
        registry.saveTrustedSequence(MANIFEST, manifest.sequence());
        log.info("firmware manifest replaced old_sequence={} new_sequence={}", old, manifest.sequence());
        return new Reload.Replaced(old, manifest);
    }

    /** Reads and verifies the manifest at start; a failure throws. */
    private Optional<Manifest> readManifest() {
        return accept(verifiedManifest(), "attest.manifest", config.manifest());
    }

    private Result<Manifest> verifiedManifest() {
        long trusted = registry.trustedSequence(MANIFEST);
        return ManifestReader.read(
                bytes(config.manifest()), bytes(config.manifestSignature()), vendorKey(), trusted, clock.instant());
    }

    /** The manifest in force; only called once one is configured (it is read at start or the start fails). */
    private Manifest trustedManifest() {
        return Objects.requireNonNull(manifest, "no attest.manifest configured");
    }

    /** ConfigLoader requires attest.vendor_key whenever a manifest or an endorsement list is configured. */
    private VerifyingKey vendorKey() {
        return Objects.requireNonNull(vendorKey, "attest.vendor_key");
    }

    private Reload refused(String problem, String detail) {
        log.error(
                "firmware manifest replacement refused file={} problem={} detail={} keeping_sequence={}",
                config.manifest(),
                problem,
                detail,
                trustedManifest().sequence());
        return new Reload.Refused(problem, detail);
    }

    private Optional<EndorsementList> readEndorsements() {
        long trusted = registry.trustedSequence(ENDORSEMENTS);
        Result<EndorsementList> result = EndorsementReader.read(
                bytes(config.endorsements()), bytes(config.endorsementsSignature()), vendorKey(), trusted);
        return accept(result, "attest.endorsements", config.endorsements());
    }

    private <T> Optional<T> accept(Result<T> result, String key, @Nullable Path file) {
        if (result instanceof Result.Failed<T> failed) {
            String message = key + ": " + file + " refused: " + failed.problem().code() + ": " + failed.detail();
            if (isStarting(key)) {
                throw new IllegalStateException(message);
            }
            log.error(
                    "signed document refused key={} file={} problem={} detail={}",
                    key,
                    file,
                    failed.problem().code(),
                    failed.detail());
            return Optional.empty();
        }
        return Optional.of(result.orElseThrow());
    }

    private boolean isStarting(String key) {
        return key.equals("attest.manifest") ? manifest == null : endorsements == null;
    }

    /** ConfigLoader requires each signature path (and the vendor key) with its document: null here is a bug. */
    private static byte[] bytes(@Nullable Path file) {
        if (file == null) {
            throw new IllegalStateException("a trust anchor path that ConfigLoader requires is not set");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static VerifyingKey vendorKey(Path file) {
        Result<VerifyingKey> key = VerifyingKey.fromPem(new String(bytes(file), StandardCharsets.US_ASCII));
        if (key instanceof Result.Failed<VerifyingKey> failed) {
            throw new IllegalStateException("attest.vendor_key: " + file + " is not a usable public key: " + failed);
        }
        return key.orElseThrow();
    }
}
