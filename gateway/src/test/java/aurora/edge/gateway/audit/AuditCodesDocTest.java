package aurora.edge.gateway.audit;

import static aurora.edge.gateway.docs.GeneratedDoc.cell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.docs.GeneratedDoc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AuditCodesDocTest {

    @Test
    void docsAuditCodesTableListsEveryCatalogueCodeWithItsSeverityAndDescription() {
        GeneratedDoc.checkFile("docs/audit-codes.md", table());
    }

    @Test
    void auditCodesAndRejectionCodesNeverShareAName() {
        var rejections = Arrays.stream(Rejection.values()).map(Rejection::code).collect(Collectors.toSet());
        assertThat(Arrays.stream(AuditCode.values()).map(AuditCode::code)).doesNotContainAnyElementsOf(rejections);
    }

    @Test
    void anAuditOnlyCodeCannotBeRaisedAsAnAlert() {
        // Refused before the outbox is reached, so none is needed here.
        var alerts = new GatewayAlerts(
                null, new GatewayConfig.Identity("gw", "site"), Clock.systemUTC(), new SimpleMeterRegistry());
        assertThatThrownBy(() -> alerts.raise(AuditCode.MANIFEST_REPLACED, null, "t", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MANIFEST_REPLACED");
    }

    static String table() {
        StringBuilder s = new StringBuilder();
        s.append("# Audit and alert codes\n\n")
                .append(
                        "<!-- Generated from AuditCode and Rejection by AuditCodesDocTest; edit the enums, then run `make docs`. -->\n\n")
                .append(
                        "Every event the gateway writes to its audit stream (`aurora:audit`, `AURORA.audit`, the local audit\n")
                .append(
                        "trail) or raises as a CPS alert carries one of these stable codes in `fields.code`. The catalogues are\n")
                .append("closed: `aurora.edge.gateway.audit.AuditCode` for the gateway's own events and\n")
                .append(
                        "`aurora.edge.gateway.device.Rejection` for refused device input. A code never changes its meaning.\n\n")
                .append("## The gateway's events (`AuditCode`)\n\n")
                .append("| code | severity | reported as | meaning |\n|---|---|---|---|\n");
        for (AuditCode c : AuditCode.values()) {
            String reach = c.alerts() ? "audit and CPS alert" : "audit";
            s.append("| `")
                    .append(c.code())
                    .append("` | ")
                    .append(c.severity().wireName())
                    .append(" | ")
                    .append(reach)
                    .append(" | ")
                    .append(cell(c.description()))
                    .append(" |\n");
        }
        s.append("\n## Refused device input (`Rejection`)\n\n")
                .append(
                        "Each is counted in `aurora_intake_rejected{code=…}` and audited (the first per device and code in a\n")
                .append(
                        "10 s window at once, the rest counted into the next audit event as `suppressed_since_last`).\n\n")
                .append("| code | severity | meaning |\n|---|---|---|\n");
        Stream.of(Rejection.values())
                .forEach(r -> s.append("| `")
                        .append(r.code())
                        .append("` | ")
                        .append(r.severity().wireName())
                        .append(" | ")
                        .append(cell(r.description()))
                        .append(" |\n"));
        return s.toString();
    }
}
