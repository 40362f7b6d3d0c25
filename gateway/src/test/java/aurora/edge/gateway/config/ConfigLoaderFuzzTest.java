package aurora.edge.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.testing.FuzzCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any config file either loads or is refused with errors that each name a key; nothing else escapes. */
class ConfigLoaderFuzzTest {
    private static final FuzzCorpus CORPUS = FuzzCorpus.named("config");
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("config-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property
    void everyFileLoadsOrNamesItsBadKeys(@ForAll("files") byte[] yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.write(file, yaml);
        try {
            GatewayConfig config = new ConfigLoader(Map.of()).load(file);
            assertThat(config).isNotNull();
        } catch (InvalidConfigException e) {
            assertThat(e.errors()).isNotEmpty();
            assertThat(e.errors()).allSatisfy(error -> assertThat(error.key()).isNotBlank());
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> files() {
        return CORPUS.inputs();
    }
}
