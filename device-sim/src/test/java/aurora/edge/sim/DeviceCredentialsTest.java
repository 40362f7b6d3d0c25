package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCredentialsTest {
    /** Bytes 0x00..0x1f. */
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) i;
        }
    }

    @TempDir
    Path dir;

    @Test
    void passwordIsUnpaddedBase64UrlOfHmacSha256OfTheDeviceId() {
        // Known answers computed independently:
        //   python3 -c "import hmac,hashlib,base64; print(base64.urlsafe_b64encode(hmac.new(bytes(range(32)),
        //     b'sim-00000', hashlib.sha256).digest()).rstrip(b'=').decode())"
        //   printf sim-00000 | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1e1f -binary | base64 | tr '+/'
        // '-_' | tr -d =
        assertThat(DeviceCredentials.derive(KEY, "sim-00000").password())
                .isEqualTo("0-r_P7_EFbm1QvOhxiciR7ZpZkQd2QJPcKe3ef8DNCk");
        assertThat(DeviceCredentials.derive(KEY, "device_A-1").password())
                .isEqualTo("56b3wfc3OXSEa8IYsftEe-BTt3H4O1I4HuPPqruZuJ0");
    }

    @Test
    void usernameAndClientIdAreTheDeviceId() {
        DeviceCredentials credentials = DeviceCredentials.derive(KEY, "sim-00042");
        assertThat(credentials.username()).isEqualTo("sim-00042");
        assertThat(credentials.deviceId()).isEqualTo("sim-00042");
    }

    @Test
    void toStringNeverShowsThePassword() {
        DeviceCredentials credentials = DeviceCredentials.derive(KEY, "sim-00000");
        assertThat(credentials.toString())
                .doesNotContain(credentials.password())
                .contains("sim-00000");
    }

    @Test
    void refusesDeviceIdsOutsideTheWireContract() {
        assertThatThrownBy(() -> DeviceCredentials.derive(KEY, "a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> DeviceCredentials.derive(KEY, "x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceCredentials.derive(KEY, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void siteKeyFileIsOneLineOfStandardBase64WithWhitespaceTrimmed() throws Exception {
        Path file = dir.resolve("site.key");
        Files.writeString(file, "  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n", StandardCharsets.UTF_8);
        assertThat(SiteKeyFile.read(file)).isEqualTo(KEY);
    }

    @Test
    void siteKeyFileWrittenByUsReadsBackAndIsOwnerOnly() throws Exception {
        Path file = dir.resolve("written.key");
        SiteKeyFile.write(file, KEY);
        assertThat(SiteKeyFile.read(file)).isEqualTo(KEY);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void siteKeyFileWithBadContentIsRefusedNamingTheFileButNotTheContent() throws Exception {
        Path notBase64 = dir.resolve("bad.key");
        Files.writeString(notBase64, "secret*not*base64");
        assertThatThrownBy(() -> SiteKeyFile.read(notBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(notBase64.toString())
                .hasMessageNotContaining("secret");
        Path empty = dir.resolve("empty.key");
        Files.writeString(empty, " \n");
        assertThatThrownBy(() -> SiteKeyFile.read(empty)).hasMessageContaining("empty");
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "AAEC");
        assertThatThrownBy(() -> SiteKeyFile.read(shortKey)).hasMessageContaining("3 bytes");
    }
}
