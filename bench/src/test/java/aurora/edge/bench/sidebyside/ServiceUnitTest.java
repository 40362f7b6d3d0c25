package aurora.edge.bench.sidebyside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceUnitTest {
    @TempDir
    Path dir;

    @Test
    void theGatewayRunsWithTheJavaOptsAndEnvironmentOfTheShippedUnitWithItsStateDirectoryMovedIntoTheBench()
            throws Exception {
        Path unit = Path.of("..", "systemd", "aurora-edge.service");
        String text = Files.readString(unit);

        ServiceUnit read = ServiceUnit.read(unit, dir);

        assertThat(read.javaOpts()).contains("-XX:+UseSerialGC").anyMatch(o -> o.startsWith("-Xmx"));
        for (String opt : read.javaOpts()) {
            assertThat(opt).doesNotContain("/var/lib/aurora-edge");
            assertThat(text).contains(opt.replace(dir.toAbsolutePath().toString(), "/var/lib/aurora-edge"));
        }
        assertThat(read.javaOpts()).contains("-Djava.io.tmpdir=" + dir.toAbsolutePath() + "/tmp");
        assertThat(read.environment()).containsEntry("MALLOC_ARENA_MAX", "2").doesNotContainKey("JAVA_OPTS");
    }

    @Test
    void aUnitWithoutJavaOptsIsAnError() throws Exception {
        Path unit = dir.resolve("x.service");
        Files.writeString(unit, "[Service]\nEnvironment=\"MALLOC_ARENA_MAX=2\"\n");

        assertThatThrownBy(() -> ServiceUnit.read(unit, dir)).hasMessageContaining("JAVA_OPTS");
    }
}
