package aurora.edge.gateway.config;

import static aurora.edge.gateway.docs.GeneratedDoc.cell;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.docs.GeneratedDoc;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration tables in the README and in docs/operations.md are the settings model, printed. */
class ConfigDocsTest {

    @Test
    void readmeConfigurationTableIsGeneratedFromTheSettingsModel() {
        GeneratedDoc.checkSection("README.md", "config-table", table());
    }

    @Test
    void operationsGuideConfigurationTableIsGeneratedFromTheSettingsModel() {
        GeneratedDoc.checkSection("docs/operations.md", "config-table", table());
    }

    @Test
    void everyKeyIsCataloguedOnceWithAUnitADefaultAndAMeaning() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> s : ConfigLoader.catalogue()) {
            assertThat(keys.add(s.key())).as("%s catalogued twice", s.key()).isTrue();
            assertThat(s.unit()).as(s.key()).isNotBlank();
            assertThat(s.defaultText()).as(s.key()).isNotBlank();
            assertThat(s.allowed()).as(s.key()).isNotBlank();
            assertThat(s.description()).as(s.key()).isNotBlank();
        }
        assertThat(keys)
                .contains(
                        "gateway.id",
                        "mqtt.port",
                        "nats.subject_prefix",
                        "attest.retry_backoff_max",
                        "federation.nak_delay");
    }

    static String table() {
        StringBuilder s = new StringBuilder("| key | unit | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (Setting<?> setting : ConfigLoader.catalogue()) {
            s.append("| `")
                    .append(setting.key())
                    .append("` | ")
                    .append(setting.unit())
                    .append(" | ")
                    .append(cell(setting.defaultText()))
                    .append(" | ")
                    .append(cell(setting.allowed()))
                    .append(" | ")
                    .append(cell(setting.description()))
                    .append(setting.isSecret() ? " (secret: masked in logs and `check-config`)" : "")
                    .append(" |\n");
        }
        return s.toString();
    }
}
