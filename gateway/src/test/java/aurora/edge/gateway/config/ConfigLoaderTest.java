package aurora.edge.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsAreValid() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(c.mqtt().port()).isEqualTo(1883);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.nats().duplicateWindow()).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(c.redis().alertsStream()).isEqualTo("aurora:cps:alerts");
    }

    @Test
    void threeBadKeysAreAllReportedByName() throws Exception {
        Path file = yaml("""
                mqtt:
                  port: 70000
                redis:
                  url: "redis//nowhere"
                nats:
                  duplicate_window: 30s
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> {
                    var errors = ((InvalidConfigException) e).errors();
                    assertThat(errors)
                            .extracting(ConfigError::key)
                            .containsExactlyInAnyOrder("mqtt.port", "redis.url", "nats.duplicate_window");
                    assertThat(e.getMessage()).contains("mqtt.port", "redis.url", "nats.duplicate_window", "3 errors");
                });
    }

    @Test
    void theFederationConsumerIsNamedAfterTheGatewayAndItsKeysAreChecked() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of("AURORA_GATEWAY_ID", "gw-7")).load(null);
        assertThat(c.federation().enabled()).isTrue();
        assertThat(c.federation().consumerName()).isEqualTo("aurora-edge-gw-7");
        assertThat(c.federation().nakDelay()).isEqualTo(Duration.ofSeconds(5));

        Path file = yaml("""
                federation:
                  enabled: maybe
                  consumer_name: "has.dots"
                  nak_delay: 0s
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder(
                                "federation.enabled", "federation.consumer_name", "federation.nak_delay"));
        assertThat(new ConfigLoader(Map.of("AURORA_FEDERATION_ENABLED", "false"))
                        .load(null)
                        .federation()
                        .enabled())
                .isFalse();
    }

    @Test
    void theOpsTokenAndFederationSafeguardsHaveDefaultsAndAreChecked() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of("AURORA_DATA_DIR", "/var/lib/x")).load(null);
        assertThat(c.http().tokenFile()).isEqualTo(Path.of("/var/lib/x/ops.token"));
        assertThat(c.federation().maxFleetShare()).isEqualTo(0.2);
        assertThat(c.federation().iocKey()).isNull();
        assertThat(c.federation().maxIocs()).isEqualTo(10_000);
        assertThat(c.federation().iocRetention()).isEqualTo(Duration.ofDays(7));

        Path notAKey = Files.writeString(
                dir.resolve("not-a-key.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Path file = yaml(String.format(Locale.ROOT, """
                federation:
                  max_fleet_share: 1.5
                  max_iocs: 5
                  ioc_retention: 1m
                  ioc_key: %s
                """, notAKey));
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder(
                                "federation.max_fleet_share",
                                "federation.max_iocs",
                                "federation.ioc_retention",
                                "federation.ioc_key"));
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "AURORA_FEDERATION_IOC_KEY",
                                dir.resolve("missing.pem").toString()))
                        .load(null))
                .hasMessageContaining("federation.ioc_key")
                .hasMessageContaining("is not a readable file");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_FEDERATION_MAX_FLEET_SHARE", "NaN")).load(null))
                .hasMessageContaining("federation.max_fleet_share");

        Path key = Files.writeString(
                dir.resolve("peer.pem"),
                aurora.edge.attestation.keys.SigningKey.generate(
                                aurora.edge.attestation.keys.KeyAlgorithm.ECDSA_P256, new java.security.SecureRandom())
                        .verifyingKey()
                        .toPem());
        GatewayConfig signed = new ConfigLoader(Map.of(
                        "AURORA_FEDERATION_IOC_KEY",
                        key.toString(),
                        "AURORA_FEDERATION_MAX_FLEET_SHARE",
                        "0",
                        "AURORA_OPS_TOKEN_FILE",
                        "/etc/x/token"))
                .load(null);
        assertThat(signed.federation().iocKey()).isEqualTo(key);
        assertThat(signed.federation().maxFleetShare()).isZero();
        assertThat(signed.http().tokenFile()).isEqualTo(Path.of("/etc/x/token"));
    }

    @Test
    void strangerLimitsAndTheAuditVolumeHaveDefaultsForTheBoxAndAreChecked() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(c.mqtt().strangers())
                .isEqualTo(new GatewayConfig.Strangers(20_000, 64, Duration.ofSeconds(5), 4096, 20_000));
        assertThat(c.auditVolume()).isEqualTo(new GatewayConfig.AuditVolume(600, Duration.ofSeconds(10)));

        Path file = yaml("""
                mqtt:
                  max_connections: 0
                  max_pending_per_address: -1
                  connect_timeout: 10ms
                  max_connect_bytes: 100
                  max_interceptor_backlog: many
                audit:
                  max_events_per_minute: 5
                  summary_window: 0s
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder(
                                "mqtt.max_connections",
                                "mqtt.max_pending_per_address",
                                "mqtt.connect_timeout",
                                "mqtt.max_connect_bytes",
                                "mqtt.max_interceptor_backlog",
                                "audit.max_events_per_minute",
                                "audit.summary_window"));
    }

    @Test
    void theLargestConnectMayNotExceedTheLargestMessage() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "AURORA_MQTT_MAX_MESSAGE_BYTES",
                                "2048",
                                "AURORA_INTAKE_MAX_PAYLOAD_BYTES",
                                "1024",
                                "AURORA_MQTT_MAX_CONNECT_BYTES",
                                "4096"))
                        .load(null))
                .hasMessageContaining("mqtt.max_connect_bytes");
    }

    @Test
    void theTlsListenerIsOnWithACertificateAndItsFilesAreCheckedTogether() throws Exception {
        GatewayConfig plain = new ConfigLoader(Map.of()).load(null);
        assertThat(plain.mqtt().tls().enabled()).isFalse();
        assertThat(plain.mqtt().tls().port()).isEqualTo(8883);
        assertThat(plain.mqtt().tls().requireClientCert()).isTrue();

        Path file = yaml("""
                mqtt:
                  port: -1
                  tls_port: 8884
                  tls:
                    cert: /etc/aurora-edge/tls/server.pem
                    key: /etc/aurora-edge/tls/server.key
                    ca: /etc/aurora-edge/tls/ca.pem
                    reload_interval: 2s
                """);
        GatewayConfig tlsOnly = new ConfigLoader(Map.of()).load(file);
        assertThat(tlsOnly.mqtt().plaintext()).isFalse();
        assertThat(tlsOnly.mqtt().tls().enabled()).isTrue();
        assertThat(tlsOnly.mqtt().tls().port()).isEqualTo(8884);
        assertThat(tlsOnly.mqtt().tls().reloadInterval()).isEqualTo(Duration.ofSeconds(2));

        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTT_TLS_CERT", "/x/server.pem")).load(null))
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder("mqtt.tls.key", "mqtt.tls.ca"));
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTT_PORT", "-1")).load(null))
                .hasMessageContaining("mqtt.port")
                .hasMessageContaining("turns the only listener off");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTT_TLS_CRL", "/x/crl.pem")).load(null))
                .hasMessageContaining("mqtt.tls.cert");
    }

    @Test
    void plaintextFalseTurnsThePlaintextListenerOffLikePortMinusOne() throws Exception {
        Path file = yaml("""
                mqtt:
                  plaintext: false
                  tls:
                    cert: /etc/aurora-edge/tls/server.pem
                    key: /etc/aurora-edge/tls/server.key
                    ca: /etc/aurora-edge/tls/ca.pem
                """);
        GatewayConfig tlsOnly = new ConfigLoader(Map.of()).load(file);
        assertThat(tlsOnly.mqtt().plaintext()).isFalse();
        assertThat(tlsOnly.mqtt().port()).isEqualTo(-1);
        assertThat(new ConfigLoader(Map.of()).load(null).mqtt().plaintext()).isTrue();

        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTT_PLAINTEXT", "false")).load(null))
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactly("mqtt.plaintext"))
                .hasMessageContaining("turns the only listener off");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTT_PLAINTEXT", "maybe")).load(null))
                .hasMessageContaining("mqtt.plaintext");
    }

    @Test
    void pendingDataIsHeldByDefaultOnlyWhileAttestationIsOnAndTheHoldKeysAreChecked() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(c.attest().holdPending()).isTrue();
        assertThat(c.attest().holdMaxPerDevice()).isEqualTo(1_000);
        assertThat(c.attest().holds())
                .as("no manifest: attestation is off, nothing is held")
                .isFalse();

        Path file = yaml("""
                attest:
                  hold_pending: sometimes
                  hold_max_per_device: 0
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder("attest.hold_pending", "attest.hold_max_per_device"));
        GatewayConfig off = new ConfigLoader(
                        Map.of("AURORA_ATTEST_HOLD_PENDING", "false", "AURORA_ATTEST_HOLD_MAX_PER_DEVICE", "100000"))
                .load(null);
        assertThat(off.attest().holdPending()).isFalse();
        assertThat(off.attest().holdMaxPerDevice()).isEqualTo(100_000);
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_ATTEST_HOLD_MAX_PER_DEVICE", "100001")).load(null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("attest.hold_max_per_device");
    }

    @Test
    void socCommandsAreOffWithoutAKeyAndTheirKeysAreChecked() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(c.commands().enabled()).isFalse();
        assertThat(c.commands().stream()).isEqualTo("aurora:cps:commands");
        assertThat(c.commands().resultsStream()).isEqualTo("aurora:cps:command_results");

        Path file = yaml("""
                commands:
                  soc_key: /nonexistent/soc.pub
                  retry_interval: 0s
                  max_pending_per_device: 0
                  group: "a b"
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder(
                                "commands.soc_key",
                                "commands.retry_interval",
                                "commands.max_pending_per_device",
                                "commands.group"));
    }

    @Test
    void unknownKeyIsAnError() throws Exception {
        Path file = yaml("mqtt:\n  prot: 1884\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .hasMessageContaining("mqtt.prot: is not a known key");
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path file = yaml("mqtt:\n  port: 1884\ndevices:\n  key_file: /tmp/a.key\n");
        GatewayConfig c =
                new ConfigLoader(Map.of("AURORA_MQTT_PORT", "0", "AURORA_DEVICES_KEY_FILE", "/tmp/b.key")).load(file);
        assertThat(c.mqtt().port()).isZero();
        assertThat(c.store().deviceKeyFile()).isEqualTo(Path.of("/tmp/b.key"));
    }

    @Test
    void badEnvironmentValueNamesTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_HTTP_PORT", "eighty")).load(null))
                .hasMessageContaining("http.port: \"eighty\" is not a whole number");
    }

    @Test
    void secretsAreMaskedInErrorsAndInTheEffectiveConfig() throws Exception {
        Path bad = yaml("redis:\n  url: \"redis://:hunter2@\"\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(bad))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        GatewayConfig ok = new ConfigLoader(Map.of("AURORA_NATS_URL", "nats://gw:s3cret@127.0.0.1:4222")).load(null);
        assertThat(ok.effectiveMasked().toString()).doesNotContain("s3cret");
        assertThat(ok.nats().url().getUserInfo()).isEqualTo("gw:s3cret");
    }

    @Test
    void theDurabilityAndFairnessKeysAreTypedWithDefaultsAndCheckedByName() throws Exception {
        GatewayConfig d = new ConfigLoader(Map.of()).load(null);
        assertThat(d.store().deviceQuotaBytes()).isEqualTo(16L << 20);
        assertThat(d.store().auditMaxBytes()).isEqualTo(256L << 20);
        assertThat(d.store().resendWindow()).isEqualTo(256);
        assertThat(d.store().gapTimeout()).isEqualTo(Duration.ofHours(1));

        GatewayConfig c = new ConfigLoader(Map.of(
                        "AURORA_OUTBOX_DEVICE_QUOTA_BYTES",
                        "1MiB",
                        "AURORA_AUDIT_MAX_BYTES",
                        "64MiB",
                        "AURORA_OUTBOX_RESEND_WINDOW",
                        "1024",
                        "AURORA_OUTBOX_GAP_TIMEOUT",
                        "10m"))
                .load(null);
        assertThat(c.store().deviceQuotaBytes()).isEqualTo(1L << 20);
        assertThat(c.store().auditMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.store().resendWindow()).isEqualTo(1024);
        assertThat(c.store().gapTimeout()).isEqualTo(Duration.ofMinutes(10));

        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "AURORA_OUTBOX_DEVICE_QUOTA_BYTES",
                                "1KiB",
                                "AURORA_AUDIT_MAX_BYTES",
                                "-1",
                                "AURORA_OUTBOX_RESEND_WINDOW",
                                "8",
                                "AURORA_OUTBOX_GAP_TIMEOUT",
                                "soon"))
                        .load(null))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).errors())
                        .extracting(ConfigError::key)
                        .containsExactlyInAnyOrder(
                                "outbox.device_quota_bytes",
                                "audit.max_bytes",
                                "outbox.resend_window",
                                "outbox.gap_timeout"));
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_OUTBOX_DEVICE_QUOTA_BYTES", "5GiB")).load(null))
                .hasMessageContaining("outbox.device_quota_bytes");
    }

    @Test
    void crossKeyRulesAreChecked() {
        assertThatThrownBy(() -> new ConfigLoader(
                                Map.of("AURORA_FORWARD_BACKOFF_MIN", "10s", "AURORA_FORWARD_BACKOFF_MAX", "1s"))
                        .load(null))
                .hasMessageContaining("forward.backoff_max");
    }

    @Test
    void notYamlIsReportedNotThrownRaw() throws Exception {
        Path file = yaml("mqtt: [unclosed\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"raspberrypi", "localhost", "debian", "ubuntu", "RaspberryPi", "localhost.localdomain"})
    void aGatewayIdLeftToAStockHostNameIsRefusedNamingTheKey(String host) {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), () -> host).load(null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("gateway.id")
                .hasMessageContaining("not unique in a federation");
    }

    @Test
    void aStockHostNameIsFineWhenGatewayIdIsSetExplicitly() throws Exception {
        assertThat(new ConfigLoader(Map.of("AURORA_GATEWAY_ID", "plant-7-gw"), () -> "raspberrypi")
                        .load(null)
                        .identity()
                        .gatewayId())
                .isEqualTo("plant-7-gw");
    }

    @Test
    void aDistinctHostNameStillNamesTheGateway() throws Exception {
        assertThat(new ConfigLoader(Map.of(), () -> "Plant7-GW.example.org")
                        .load(null)
                        .identity()
                        .gatewayId())
                .isEqualTo("plant7-gw-example-org");
    }

    @Test
    void streamManagementDefaultsToCreateAndIsValidated() throws Exception {
        assertThat(new ConfigLoader(Map.of("AURORA_GATEWAY_ID", "g"))
                        .load(null)
                        .nats()
                        .streamManagement())
                .isEqualTo(StreamManagement.CREATE);
        assertThat(new ConfigLoader(Map.of("AURORA_GATEWAY_ID", "g", "AURORA_NATS_STREAM_MANAGEMENT", "off"))
                        .load(null)
                        .nats()
                        .streamManagement())
                .isEqualTo(StreamManagement.OFF);
        assertThat(new ConfigLoader(Map.of("AURORA_GATEWAY_ID", "g", "AURORA_NATS_STREAM_MANAGEMENT", "Manage"))
                        .load(null)
                        .nats()
                        .streamManagement())
                .isEqualTo(StreamManagement.MANAGE);
        assertThatThrownBy(() -> new ConfigLoader(
                                Map.of("AURORA_GATEWAY_ID", "g", "AURORA_NATS_STREAM_MANAGEMENT", "update"))
                        .load(null))
                .hasMessageContaining("nats.stream_management: \"update\" is not one of create|manage|off");
    }

    @Test
    void natsSubjectPrefixHasOneRuleForTheFileAndForTheJetStreamSink() throws Exception {
        // The file used to allow one token only, while the sink took dotted prefixes such as HUB.AURORA.
        GatewayConfig c = new ConfigLoader(Map.of("AURORA_NATS_SUBJECT_PREFIX", "HUB.AURORA")).load(null);
        assertThat(c.nats().subjectPrefix()).isEqualTo("HUB.AURORA");
        for (String bad : new String[] {"AURORA.*", "AURORA.>", ".AURORA", "AURORA.", "A B"}) {
            assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_NATS_SUBJECT_PREFIX", bad)).load(null))
                    .as(bad)
                    .hasMessageContaining("nats.subject_prefix");
            assertThatThrownBy(() -> NatsSettings.SUBJECT_PREFIX.require(bad))
                    .as(bad)
                    .hasMessageContaining("nats.subject_prefix");
        }
    }

    @Test
    void everyCataloguedKeyCanBeSetFromTheEnvironmentAndTheFile() throws Exception {
        Map<String, String> values = new java.util.TreeMap<>();
        Map<String, String> env = new java.util.HashMap<>();
        for (Setting<?> s : ConfigLoader.catalogue()) {
            String value = printedDefault(s);
            if (!value.isEmpty()) {
                values.put(s.key(), value);
                env.put(s.envName(), value);
            }
        }
        assertThat(values).hasSizeGreaterThan(50);
        assertThat(new ConfigLoader(env).load(null).settings())
                .filteredOn(s -> values.containsKey(s.key()))
                .hasSize(values.size())
                .noneMatch(EffectiveSetting::fromDefault);
        assertThat(new ConfigLoader(Map.of()).fromValues(values, "test").settings())
                .filteredOn(s -> values.containsKey(s.key()))
                .hasSize(values.size())
                .noneMatch(EffectiveSetting::fromDefault);
    }

    @Test
    void theEffectiveSettingsCarryTheirMeaningAndMaskSecrets() throws Exception {
        GatewayConfig c = new ConfigLoader(
                        Map.of("AURORA_REDIS_URL", "redis://:pw@127.0.0.1:6379", "AURORA_MQTT_PORT", "1884"))
                .load(null);
        EffectiveSetting port = c.settings().stream()
                .filter(s -> s.key().equals("mqtt.port"))
                .findFirst()
                .orElseThrow();
        assertThat(port.value()).isEqualTo("1884");
        assertThat(port.fromDefault()).isFalse();
        assertThat(port.defaultText()).isEqualTo("`1883`");
        assertThat(port.description()).contains("device broker port");
        assertThat(c.effectiveMasked()).containsEntry("redis.url", "****").containsEntry("forward.stall_timeout", "1m");
    }

    private static <T> String printedDefault(Setting<T> s) {
        return s.print(s.fallback());
    }

    @Test
    void deviceHealthDefaultsToAuroraSocsTenAndSixtyMinutesAndOfflineMustComeAfterStale() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(c.healthCheck().staleAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.healthCheck().offlineAfter()).isEqualTo(Duration.ofMinutes(60));
        assertThat(c.healthCheck().interval()).isEqualTo(Duration.ofSeconds(30));

        Path file = yaml("""
                devices:
                  stale_after: 30m
                  offline_after: 20m
                  health_check_interval: 45m
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> {
                    assertThat(((InvalidConfigException) e).errors())
                            .extracting(ConfigError::key)
                            .containsExactlyInAnyOrder("devices.offline_after", "devices.health_check_interval");
                    assertThat(e.getMessage()).contains("must be longer than devices.stale_after (30m)");
                });
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_DEVICES_STALE_AFTER", "0s")).load(null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("devices.stale_after");
    }
}
