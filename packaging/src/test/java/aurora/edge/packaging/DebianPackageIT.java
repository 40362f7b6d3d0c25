package aurora.edge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built .deb: its contents and metadata, then a real install, upgrade, remove and purge in a throwaway root. */
class DebianPackageIT {
    private static final Path SYSTEMD = Path.of(System.getProperty("aurora.systemd.dir", "../systemd"));
    private static Path deb;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPackage() throws IOException {
        Path target = Path.of(System.getProperty("aurora.deb.dir", "target"));
        try (Stream<Path> files = Files.list(target)) {
            // The newest one: a version change without `mvn clean` leaves the old package beside it.
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("aurora-edge_.+_all\\.deb"))
                    .sorted(Comparator.comparing((Path p) -> p.toFile().lastModified())
                            .reversed())
                    .toList();
            assertThat(debs).as("an aurora-edge_<version>_all.deb in " + target).isNotEmpty();
            deb = debs.get(0).toAbsolutePath();
        }
    }

    /** path → "mode owner/group" from {@code dpkg-deb --contents}. */
    private Map<String, String> contents() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Commands.ok(dir, List.of("dpkg-deb", "--contents", deb.toString()))
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            entries.put(f[5].replaceFirst("^\\./", "/").replaceFirst("(.)/$", "$1"), f[0] + " " + f[1]);
        }
        return entries;
    }

    @Test
    void packageHoldsTheJarUnitSnippetsCommandConfigAndFirmwareDirectoryWithRootOwnedModes() throws Exception {
        assertThat(contents())
                .contains(
                        Map.entry("/usr/share/aurora-edge/aurora-edge-gateway.jar", "-rw-r--r-- root/root"),
                        Map.entry("/usr/bin/aurora-edge", "-rwxr-xr-x root/root"),
                        Map.entry("/lib/systemd/system/aurora-edge.service", "-rw-r--r-- root/root"),
                        Map.entry("/usr/lib/sysusers.d/aurora-edge.conf", "-rw-r--r-- root/root"),
                        Map.entry("/usr/lib/tmpfiles.d/aurora-edge.conf", "-rw-r--r-- root/root"),
                        Map.entry("/etc/aurora-edge/gateway.yaml", "-rw-r--r-- root/root"),
                        Map.entry("/etc/aurora-edge/firmware", "drwxr-xr-x root/root"),
                        Map.entry("/usr/share/doc/aurora-edge/operations.md", "-rw-r--r-- root/root"));
    }

    @Test
    void packageShipsNoStateSoThatUpgradesNeverOverwriteData() throws Exception {
        assertThat(contents().keySet()).noneMatch(p -> p.startsWith("/var/"));
    }

    @Test
    void onlyTheGatewayConfigIsAConffile() throws Exception {
        Path control = dir.resolve("DEBIAN");
        Commands.ok(dir, List.of("dpkg-deb", "--control", deb.toString(), control.toString()));

        assertThat(Files.readString(control.resolve("conffiles"))).isEqualTo("/etc/aurora-edge/gateway.yaml\n");
    }

    @Test
    void maintainerScriptsArePresentExecutableAndValidShell() throws Exception {
        Path control = dir.resolve("DEBIAN");
        Commands.ok(dir, List.of("dpkg-deb", "--control", deb.toString(), control.toString()));

        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertThat(Files.isExecutable(file)).as(script + " is executable").isTrue();
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("#!/bin/sh");
            Commands.ok(dir, List.of("sh", "-n", file.toString()));
        }
    }

    @Test
    void controlDeclaresArchitectureAllAndAJava17Runtime() throws Exception {
        String fields =
                Commands.ok(dir, List.of("dpkg-deb", "--field", deb.toString(), "Package", "Architecture", "Depends"));

        assertThat(fields)
                .contains(
                        "Package: aurora-edge",
                        "Architecture: all",
                        // 17.0.9 is the first 17 with -XX:TrimNativeHeapInterval (the unit's JAVA_OPTS).
                        "Depends: openjdk-17-jre-headless (>= 17.0.9) | java17-runtime-headless");
        assertThat(deb.getFileName().toString()).matches("aurora-edge_[0-9][^_]*_all\\.deb");
    }

    @Test
    void packagedUnitAndConfigAreTheOnesInTheRepository() throws Exception {
        Path root = dir.resolve("x");
        Commands.ok(dir, List.of("dpkg-deb", "--extract", deb.toString(), root.toString()));

        assertThat(root.resolve("lib/systemd/system/aurora-edge.service"))
                .hasSameTextualContentAs(SYSTEMD.resolve("aurora-edge.service"));
        assertThat(root.resolve("etc/aurora-edge/gateway.yaml"))
                .hasSameTextualContentAs(SYSTEMD.resolve("gateway.yaml"));
        assertThat(root.resolve("usr/lib/sysusers.d/aurora-edge.conf"))
                .hasSameTextualContentAs(SYSTEMD.resolve("aurora-edge.sysusers"));
        assertThat(root.resolve("usr/lib/tmpfiles.d/aurora-edge.conf"))
                .hasSameTextualContentAs(SYSTEMD.resolve("aurora-edge.tmpfiles"));
        Commands.ok(dir, List.of("sh", "-n", root.resolve("usr/bin/aurora-edge").toString()));
    }

    @Test
    void gatewayJarCarriesNativeLibrariesForAmd64AndArm64() throws Exception {
        Path root = dir.resolve("x");
        Commands.ok(dir, List.of("dpkg-deb", "--extract", deb.toString(), root.toString()));

        try (ZipFile jar = new ZipFile(
                root.resolve("usr/share/aurora-edge/aurora-edge-gateway.jar").toFile())) {
            for (String lib : List.of(
                    "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so",
                    "org/sqlite/native/Linux/aarch64/libsqlitejdbc.so",
                    "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                    "META-INF/native/libnetty_transport_native_epoll_aarch_64.so")) {
                assertThat(jar.getEntry(lib)).as(lib).isNotNull();
            }
        }
    }

    @Test
    void shippedDefaultConfigPassesCheckConfigWithTheInstalledDataDir() throws Exception {
        Path root = dir.resolve("x");
        Commands.ok(dir, List.of("dpkg-deb", "--extract", deb.toString(), root.toString()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        String out = Commands.ok(
                dir,
                List.of(
                        java,
                        "-jar",
                        root.resolve("usr/share/aurora-edge/aurora-edge-gateway.jar")
                                .toString(),
                        "check-config",
                        "--config",
                        root.resolve("etc/aurora-edge/gateway.yaml").toString()));

        assertThat(out)
                .contains(
                        "data.dir = /var/lib/aurora-edge",
                        "devices.key_file = /var/lib/aurora-edge/site-device.key",
                        "configuration is valid");
    }

    @Test
    void installCreatesTheServiceUserStateDirectoryAndAPrivateSiteKey() throws Exception {
        assertTrue(
                OverlayRoot.available(),
                "installing into a throwaway root needs root (mount namespace + overlay): run the tests as root, as CI does");
        OverlayRoot box = new OverlayRoot(dir);

        box.dpkg("--install " + deb);

        assertThat(box.inside("getent passwd aurora-edge"))
                .matches("aurora-edge:x:\\d+:\\d+:aurora-edge gateway:/var/lib/aurora-edge:/usr/sbin/nologin\\s*");
        assertThat(box.inside(
                                "stat -c '%U:%G %a %n' /var/lib/aurora-edge /var/lib/aurora-edge/tmp /var/lib/aurora-edge/site-device.key "
                                        + "/etc/aurora-edge/gateway.yaml /etc/aurora-edge/firmware")
                        .lines()
                        .toList())
                .containsExactly(
                        "aurora-edge:aurora-edge 750 /var/lib/aurora-edge",
                        "aurora-edge:aurora-edge 750 /var/lib/aurora-edge/tmp",
                        "aurora-edge:aurora-edge 600 /var/lib/aurora-edge/site-device.key",
                        "root:aurora-edge 640 /etc/aurora-edge/gateway.yaml",
                        "root:root 755 /etc/aurora-edge/firmware");
        assertThat(box.inside("base64 -d /var/lib/aurora-edge/site-device.key | wc -c")
                        .strip())
                .isEqualTo("32");
        assertThat(box.inside("test -L /etc/systemd/system/multi-user.target.wants/aurora-edge.service && echo enabled")
                        .strip())
                .isEqualTo("enabled");
    }

    @Test
    void commandRunAsRootProvisionsADeviceAsTheServiceUserWithTheInstalledConfig() throws Exception {
        assertTrue(
                OverlayRoot.available(),
                "installing into a throwaway root needs root (mount namespace + overlay): run the tests as root, as CI does");
        OverlayRoot box = new OverlayRoot(dir);
        box.dpkg("--install " + deb);

        String credentials = box.inside("aurora-edge devices provision sensor-7");
        String checked = box.inside("aurora-edge check-config");

        assertThat(credentials)
                .containsPattern("\\{\"device_id\":\"sensor-7\",\"username\":\"sensor-7\",\"password\":\"[^\"]{16,}\","
                        + "\"dtls_psk_identity\":\"sensor-7\",\"dtls_psk_hex\":\"[0-9a-f]{64}\"}");
        assertThat(checked).contains("configuration is valid", "data.dir = /var/lib/aurora-edge");
        assertThat(box.inside("find /var/lib/aurora-edge ! -user aurora-edge")).isBlank();
    }

    @Test
    void reinstallingOrUpgradingKeepsTheSiteKeyAndTheEditedConfig() throws Exception {
        assertTrue(
                OverlayRoot.available(),
                "installing into a throwaway root needs root (mount namespace + overlay): run the tests as root, as CI does");
        OverlayRoot box = new OverlayRoot(dir);
        box.dpkg("--install " + deb);
        String key = box.inside("cat /var/lib/aurora-edge/site-device.key");
        box.inside("sed -i s/site-1/site-berlin/ /etc/aurora-edge/gateway.yaml");

        box.dpkg("--force-confold --install " + deb);

        assertThat(box.inside("cat /var/lib/aurora-edge/site-device.key")).isEqualTo(key);
        assertThat(box.inside("grep -c site-berlin /etc/aurora-edge/gateway.yaml")
                        .strip())
                .isEqualTo("1");
    }

    @Test
    void removeKeepsDataAndConfigurationWhilePurgeDeletesThem() throws Exception {
        assertTrue(
                OverlayRoot.available(),
                "installing into a throwaway root needs root (mount namespace + overlay): run the tests as root, as CI does");
        OverlayRoot box = new OverlayRoot(dir);
        box.dpkg("--install " + deb);
        box.inside("echo db > /var/lib/aurora-edge/aurora-edge.db");

        box.dpkg("--remove aurora-edge");
        String afterRemove = box.inside(
                "ls /var/lib/aurora-edge /etc/aurora-edge; test -e /usr/share/aurora-edge/aurora-edge-gateway.jar || echo jar-gone");
        box.dpkg("--purge aurora-edge");
        String afterPurge = box.inside(
                "ls -d /var/lib/aurora-edge /etc/aurora-edge 2>/dev/null || echo gone; getent passwd aurora-edge >/dev/null && echo user-kept");

        assertThat(afterRemove).contains("aurora-edge.db", "site-device.key", "gateway.yaml", "jar-gone");
        assertThat(afterPurge).contains("gone", "user-kept").doesNotContain("/var/lib/aurora-edge");
    }
}
