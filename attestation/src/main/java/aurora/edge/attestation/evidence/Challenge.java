package aurora.edge.attestation.evidence;

import aurora.edge.attestation.JsonInput;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One attestation challenge: the request id that the answer must echo, a fresh nonce, and the
 * instant after which an answer is {@code EXPIRED}. The gateway issues it and keeps it (single
 * use). An {@code aurora-v1} device receives it as the command
 * {@code {"action":"attest","request_id":…,"nonce":<base64url>,"expires_in_s":…}} on
 * {@code aurora/command/{id}/action}; a stock AuroraSOC device as
 * {@code {"nonce":<hex>,"request_id":…,"expires_in_s":…}} on {@code aurora/attestation/{id}/request}.
 */
public record Challenge(String requestId, Nonce nonce, Instant expiresAt) {
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_COMMAND_BYTES = 1024;
    private static final long MAX_TTL_SECONDS = 86_400;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Challenge {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("requestId must match [A-Za-z0-9_-]{1,64}, found \"" + requestId + "\"");
        }
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A new challenge that expires {@code ttl} after {@code now}. */
    public static Challenge issue(String requestId, SecureRandom random, Instant now, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("ttl must be in (0, 24h], found " + ttl);
        }
        return new Challenge(requestId, Nonce.random(random), now.plus(ttl));
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * The command JSON sent to the device. The device has no trusted clock, so the expiry travels
     * as seconds remaining at {@code now} (rounded down, at least 1).
     */
    public byte[] toCommandJson(Instant now) {
        long remaining = Math.max(1, Duration.between(now, expiresAt).toSeconds());
        var node = MAPPER.createObjectNode()
                .put("action", "attest")
                .put("request_id", requestId)
                .put("nonce", nonce.base64Url())
                .put("expires_in_s", remaining);
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /**
     * The AuroraSOC challenge JSON, {@code {"nonce":"<64 hex>","request_id":…,"expires_in_s":…}}:
     * stock firmware signs the nonce as the text it receives, so it travels as hex.
     */
    public byte[] toAuroraSocRequestJson(Instant now) {
        long remaining = Math.max(1, Duration.between(now, expiresAt).toSeconds());
        var node = MAPPER.createObjectNode()
                .put("nonce", nonce.hex())
                .put("request_id", requestId)
                .put("expires_in_s", remaining);
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** Device side: reads the AuroraSOC challenge JSON (unknown fields ignored). */
    public static Result<Challenge> parseAuroraSocRequest(byte[] json, Instant receivedAt) {
        try {
            JsonInput root = JsonInput.parse(json, MAX_COMMAND_BYTES, JsonInput.Kind.MESSAGE);
            String requestId = root.text("request_id");
            if (!REQUEST_ID.matcher(requestId).matches()) {
                throw root.fail(
                        "request_id", "must match [A-Za-z0-9_-]{1,64}, found " + ProblemException.quote(requestId));
            }
            Nonce nonce;
            try {
                nonce = Nonce.fromHex(root.text("nonce"));
            } catch (IllegalArgumentException e) {
                throw root.fail("nonce", ProblemException.messageOf(e));
            }
            long ttl = root.unsigned("expires_in_s", MAX_TTL_SECONDS);
            return Result.ok(new Challenge(requestId, nonce, receivedAt.plusSeconds(ttl)));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    /**
     * Device side: reads the command JSON. Unknown fields are ignored (newer gateways may add
     * some); {@code receivedAt} turns {@code expires_in_s} back into an instant.
     */
    public static Result<Challenge> parseCommand(byte[] json, Instant receivedAt) {
        try {
            JsonInput root = JsonInput.parse(json, MAX_COMMAND_BYTES, JsonInput.Kind.MESSAGE);
            String action = root.text("action");
            if (!action.equals("attest")) {
                throw root.fail("action", "must be \"attest\", found " + ProblemException.quote(action));
            }
            String requestId = root.text("request_id");
            if (!REQUEST_ID.matcher(requestId).matches()) {
                throw root.fail(
                        "request_id", "must match [A-Za-z0-9_-]{1,64}, found " + ProblemException.quote(requestId));
            }
            Nonce nonce;
            try {
                nonce = Nonce.fromBase64Url(root.text("nonce"));
            } catch (IllegalArgumentException e) {
                throw root.fail("nonce", ProblemException.messageOf(e));
            }
            long ttl = root.unsigned("expires_in_s", MAX_TTL_SECONDS);
            return Result.ok(new Challenge(requestId, nonce, receivedAt.plusSeconds(ttl)));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }
}
