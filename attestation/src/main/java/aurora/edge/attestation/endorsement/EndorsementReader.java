package aurora.edge.attestation.endorsement;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.JsonInput;
import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.keys.DetachedSignature;
import aurora.edge.attestation.keys.VerifyingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns {@code endorsements.json} plus its detached signature into a trusted
 * {@link EndorsementList}: signature over the exact bytes first, then the strict schema, then
 * anti-rollback against the sequence already trusted.
 */
public final class EndorsementReader {
    /** Room for a fleet of about 150,000 devices. */
    public static final int MAX_BYTES = 32 * 1024 * 1024;

    private static final int MAX_DEVICES = 200_000;

    private EndorsementReader() {}

    public static Result<EndorsementList> read(
            byte[] json, byte[] signature, VerifyingKey vendorKey, long trustedSequence) {
        try {
            DetachedSignature.check(json, signature, vendorKey, MAX_BYTES);
            EndorsementList list = parse(json);
            if (list.sequence() < trustedSequence) {
                throw new ProblemException(
                        Problem.DOCUMENT_ROLLBACK,
                        "sequence must be >= the trusted " + trustedSequence + ", found " + list.sequence());
            }
            return Result.ok(list);
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    private static EndorsementList parse(byte[] json) throws ProblemException {
        JsonInput root = JsonInput.parse(json, MAX_BYTES, JsonInput.Kind.DOCUMENT);
        root.allowOnly(Set.of("format", "format_version", "sequence", "issued_at", "devices"));
        if (!root.text("format").equals(EndorsementList.FORMAT)) {
            throw root.fail("format", "must be \"" + EndorsementList.FORMAT + "\"");
        }
        long version = root.unsigned("format_version", Integer.MAX_VALUE);
        if (version != EndorsementList.FORMAT_VERSION) {
            throw root.fail("format_version", "must be " + EndorsementList.FORMAT_VERSION + ", found " + version);
        }
        List<EndorsedDevice> devices = new ArrayList<>();
        for (JsonInput node : root.objects("devices", MAX_DEVICES)) {
            devices.add(device(node));
        }
        try {
            return new EndorsementList(root.unsigned("sequence", Long.MAX_VALUE), root.instant("issued_at"), devices);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.DOCUMENT_INCONSISTENT, ProblemException.messageOf(e));
        }
    }

    private static EndorsedDevice device(JsonInput node) throws ProblemException {
        node.allowOnly(Set.of("device_id", "board", "public_key", "protocol", "role", "relay"));
        String deviceId = node.text("device_id");
        if (!DeviceId.isValid(deviceId)) {
            throw node.fail("device_id", "must match [A-Za-z0-9_-]{1,64}, found " + ProblemException.quote(deviceId));
        }
        Result<VerifyingKey> key = VerifyingKey.fromBase64(node.text("public_key"));
        if (key instanceof Result.Failed<VerifyingKey> failed) {
            throw node.fail("public_key", "must be base64 DER SubjectPublicKeyInfo: " + failed.detail());
        }
        EvidenceLayout protocol = null;
        if (node.has("protocol")) {
            String name = node.text("protocol");
            protocol = EvidenceLayout.fromJson(name)
                    .orElseThrow(() -> node.fail(
                            "protocol",
                            "must be \"aurora-v1\" or \"aurorasoc\", found " + ProblemException.quote(name)));
        }
        DeviceRole role = DeviceRole.DEVICE;
        if (node.has("role")) {
            String name = node.text("role");
            role = DeviceRole.fromJson(name)
                    .orElseThrow(() -> node.fail(
                            "role", "must be \"device\" or \"relay\", found " + ProblemException.quote(name)));
        }
        String relay = node.has("relay") ? node.text("relay") : null;
        try {
            return new EndorsedDevice(deviceId, node.text("board"), key.orElseThrow(), protocol, role, relay);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.DOCUMENT_INCONSISTENT, ProblemException.messageOf(e));
        }
    }
}
