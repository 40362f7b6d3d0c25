package aurora.edge.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevokedDevicesTest {
    private static final Instant AT = Instant.parse("2026-12-05T01:30:00Z");

    @TempDir
    Path dir;

    @Test
    void aRevocationRecordsWhoRevokedTheDeviceAndKeepsTheOtherLines() throws Exception {
        Path list = RevokedDevices.file(dir);
        Files.createDirectories(list.getParent());
        Files.writeString(list, "# site list, edited by hand\ndev-old\n", StandardCharsets.UTF_8);

        assertThat(RevokedDevices.add(list, "dev-7", "alice", AT)).isTrue();

        assertThat(Files.readAllLines(list))
                .containsExactly(
                        "# site list, edited by hand", "dev-old", "dev-7 # revoked by alice at 2026-12-05T01:30:00Z");
        assertThat(RevokedDevices.read(list))
                .containsExactly(
                        java.util.Map.entry("dev-old", RevokedDevices.UNKNOWN_OPERATOR),
                        java.util.Map.entry("dev-7", "alice"));
    }

    @Test
    void aDeviceAlreadyOnTheListIsNotAddedTwice() throws Exception {
        Path list = RevokedDevices.file(dir);
        assertThat(RevokedDevices.add(list, "dev-7", "alice", AT)).isTrue();
        assertThat(RevokedDevices.add(list, "dev-7", "bob", AT)).isFalse();
        assertThat(RevokedDevices.read(list)).containsEntry("dev-7", "alice").hasSize(1);
    }

    @Test
    void aMissingListRevokesNobody() throws Exception {
        assertThat(RevokedDevices.read(RevokedDevices.file(dir))).isEmpty();
    }
}
