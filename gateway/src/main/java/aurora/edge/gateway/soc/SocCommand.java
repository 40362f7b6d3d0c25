package aurora.edge.gateway.soc;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.device.Printable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A command from the SOC, as signed: {@code {"command_id","site_id","device_id","action","params",
 * "issued_at","expires_at","requested_by","gateway_id"?}}. Parsing checks the shape only; signature,
 * expiry, replay and site are checked by {@link CommandIntake}.
 */
record SocCommand(
        String commandId,
        String siteId,
        @Nullable String gatewayId,
        String deviceId,
        CommandAction action,
        ObjectNode params,
        Instant issuedAt,
        Instant expiresAt,
        String requestedBy) {
    static final int MAX_BYTES = 8 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    /** The outcome of parsing: a command, or the refusal and what was wrong. */
    sealed interface Parsed permits Ok, Bad {}

    record Ok(SocCommand command) implements Parsed {}

    record Bad(AuditCode refusal, String detail) implements Parsed {}

    static Parsed parse(byte[] data) {
        if (data.length > MAX_BYTES) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (IOException e) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "not a JSON object");
        }
        String commandId = root.path("command_id").asText("");
        if (!COMMAND_ID.matcher(commandId).matches()) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "command_id must match " + COMMAND_ID.pattern());
        }
        String deviceId = root.path("device_id").asText("");
        if (!DeviceId.isValid(deviceId)) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "device_id must match " + DeviceId.RULE);
        }
        String siteId = root.path("site_id").asText("");
        if (!DeviceId.isValid(siteId)) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "site_id must match " + DeviceId.RULE);
        }
        JsonNode gateway = root.get("gateway_id");
        if (gateway != null && !DeviceId.isValid(gateway.asText())) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "gateway_id must match " + DeviceId.RULE);
        }
        String actionText = root.path("action").asText("");
        var action = CommandAction.parse(actionText);
        if (action.isEmpty()) {
            return new Bad(AuditCode.COMMAND_UNKNOWN_ACTION, "action=" + Printable.of(actionText));
        }
        JsonNode params = root.path("params");
        if (!params.isMissingNode() && !params.isObject()) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "params must be an object");
        }
        Instant issued;
        Instant expires;
        try {
            issued = Instant.parse(root.path("issued_at").asText(""));
            expires = Instant.parse(root.path("expires_at").asText(""));
        } catch (DateTimeParseException e) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "issued_at and expires_at must be ISO-8601 instants");
        }
        if (!expires.isAfter(issued)) {
            return new Bad(AuditCode.COMMAND_MALFORMED, "expires_at must be after issued_at");
        }
        String by = Printable.of(root.path("requested_by").asText("soc"));
        return new Ok(new SocCommand(
                commandId,
                siteId,
                gateway == null ? null : gateway.asText(),
                deviceId,
                action.get(),
                params.isObject() ? (ObjectNode) params : JSON.createObjectNode(),
                issued,
                expires,
                by));
    }

    /** What the device receives: the action and its parameters, its id (to answer with) and expiry. */
    byte[] deviceMessage() {
        ObjectNode out = JSON.createObjectNode()
                .put("action", action.wireName())
                .put("command_id", commandId)
                .put("expires_at", expiresAt.toString());
        out.set("params", params);
        try {
            return JSON.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }
}
