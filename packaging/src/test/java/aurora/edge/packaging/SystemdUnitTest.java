package aurora.edge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit, sysusers and tmpfiles files in systemd/, checked with systemd's own tools. */
class SystemdUnitTest {
    private static final Path SYSTEMD = Path.of(System.getProperty("aurora.systemd.dir", "../systemd"));
    private static final Path UNIT = SYSTEMD.resolve("aurora-edge.service");

    @TempDir
    Path dir;

    @Test
    void unitVerifiesWithoutAnyWarning() throws Exception {
        // verify checks that ExecStart's binary exists: point it at the JVM running this test.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path copy = dir.resolve("aurora-edge.service");
        Files.writeString(copy, Files.readString(UNIT).replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " "));

        Commands.Result result = Commands.run(dir, List.of("systemd-analyze", "verify", "--man=no", copy.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("verify prints nothing for a clean unit").isBlank();
    }

    @Test
    void unitIsStartedByTheJvmDirectlySoThatItIsTheNotifyingMainProcess() throws Exception {
        Unit unit = Unit.parse(UNIT);

        assertThat(unit.value("ExecStart"))
                .startsWith("/usr/bin/java $JAVA_OPTS -jar /usr/share/aurora-edge/aurora-edge-gateway.jar run");
        assertThat(unit.value("ExecStart")).endsWith("--config /etc/aurora-edge/gateway.yaml");
        assertThat(unit.value("Type")).isEqualTo("notify");
        assertThat(unit.value("NotifyAccess")).isEqualTo("main");
        assertThat(unit.value("WatchdogSec")).isEqualTo("60s");
        assertThat(unit.value("Restart")).isEqualTo("on-failure");
        assertThat(unit.value("SuccessExitStatus")).isEqualTo("143");
    }

    @Test
    void unitRunsAsTheDedicatedUserWithTheRequiredHardening() throws Exception {
        Unit unit = Unit.parse(UNIT);

        assertThat(unit.value("User")).isEqualTo("aurora-edge");
        assertThat(unit.value("StateDirectory")).isEqualTo("aurora-edge aurora-edge/tmp");
        assertThat(unit.value("ConfigurationDirectory")).isEqualTo("aurora-edge");
        for (String yes : List.of(
                "NoNewPrivileges",
                "ProtectHome",
                "PrivateTmp",
                "PrivateDevices",
                "ProtectKernelTunables",
                "ProtectKernelModules",
                "ProtectControlGroups",
                "RestrictNamespaces",
                "RestrictSUIDSGID",
                "LockPersonality")) {
            assertThat(unit.value(yes)).as(yes).isEqualTo("yes");
        }
        assertThat(unit.value("ProtectSystem")).isEqualTo("strict");
        assertThat(unit.value("CapabilityBoundingSet")).isEmpty();
        assertThat(unit.value("RestrictAddressFamilies")).isEqualTo("AF_UNIX AF_INET AF_INET6");
        assertThat(unit.values("SystemCallFilter")).startsWith("@system-service");
        assertThat(unit.value("MemoryMax")).isEqualTo("512M");
    }

    @Test
    void jvmExtractsNativeLibrariesUnderTheStateDirectoryAndFitsASmallBoard() throws Exception {
        String javaOpts = Unit.parse(UNIT).value("Environment");

        assertThat(javaOpts)
                .contains(
                        "-Dorg.sqlite.tmpdir=/var/lib/aurora-edge/tmp",
                        "-Dio.netty.native.workdir=/var/lib/aurora-edge/tmp",
                        "-Djava.io.tmpdir=/var/lib/aurora-edge/tmp",
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void freedNativeMemoryGoesBackToTheSystemAndGlibcKeepsTwoMallocArenas() throws Exception {
        String environment = Unit.parse(UNIT).value("Environment");

        assertThat(environment).contains("-XX:TrimNativeHeapInterval=5000").endsWith(" \"MALLOC_ARENA_MAX=2\"");
    }

    @Test
    void securityExposureStaysAtOrBelowOnePointFive() throws Exception {
        Commands.Result result = Commands.run(
                dir,
                List.of(
                        "systemd-analyze",
                        "security",
                        "--offline=true",
                        "--threshold=15",
                        "--no-pager",
                        UNIT.toAbsolutePath().toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Overall exposure level for aurora-edge.service");
    }

    @Test
    void sysusersAndTmpfilesCreateTheUserAndDirectoriesInAnEmptyRoot() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Path sysusers = SYSTEMD.resolve("aurora-edge.sysusers").toAbsolutePath();
        Path tmpfiles = SYSTEMD.resolve("aurora-edge.tmpfiles").toAbsolutePath();

        Commands.Result users = Commands.run(dir, List.of("systemd-sysusers", "--root=" + root, sysusers.toString()));
        Commands.Result dirs =
                Commands.run(dir, List.of("systemd-tmpfiles", "--root=" + root, "--create", tmpfiles.toString()));

        assertThat(users.exitCode()).as(users.output()).isZero();
        assertThat(Files.readString(root.resolve("etc/passwd")))
                .containsPattern(
                        "(?m)^aurora-edge:x:\\d+:\\d+:aurora-edge gateway:/var/lib/aurora-edge:/usr/sbin/nologin$");
        assertThat(Files.readString(root.resolve("etc/group"))).containsPattern("(?m)^aurora-edge:x:\\d+:");
        assertThat(dirs.exitCode()).as(dirs.output()).isZero();
        assertThat(Files.isDirectory(root.resolve("var/lib/aurora-edge/tmp"))).isTrue();
        assertThat(Files.isDirectory(root.resolve("etc/aurora-edge/firmware"))).isTrue();
        assertThat(Files.getPosixFilePermissions(root.resolve("var/lib/aurora-edge")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    }

    /** The [Service]/[Unit] key=value lines of a unit file; good enough for our own unit, not a full parser. */
    record Unit(List<String[]> entries) {
        static Unit parse(Path file) throws IOException {
            return new Unit(Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("[") && l.contains("="))
                    .map(l -> l.split("=", 2))
                    .toList());
        }

        String value(String key) {
            List<String> all = values(key);
            assertThat(all).as("exactly one " + key + "= line").hasSize(1);
            return all.get(0);
        }

        List<String> values(String key) {
            return entries.stream().filter(e -> e[0].equals(key)).map(e -> e[1]).toList();
        }
    }
}
