package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.docs.GeneratedDoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Gateway.java is the boot order only: what a part reports or decides lives in that part. */
class GatewayCompositionTest {

    @Test
    void theCompositionRootLooksUpNoMetricByNameAndRaisesNoAuditCodeItself() throws Exception {
        Path source = GeneratedDoc.repositoryRoot().resolve("gateway/src/main/java/aurora/edge/gateway/Gateway.java");
        String text = Files.readString(source, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\"aurora_", "Search.in(", ".find(", "AuditCode.", ".record(", ".raise(");
    }
}
