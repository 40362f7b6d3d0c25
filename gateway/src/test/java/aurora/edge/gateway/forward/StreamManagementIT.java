package aurora.edge.gateway.forward;

import static aurora.edge.gateway.forward.Records.alert;
import static aurora.edge.gateway.forward.Records.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.config.StreamManagement;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AURORA stream belongs to the AuroraSOC backend: under {@code create} an existing stream is
 * checked and never changed, under {@code off} never asked about, and a user with publish rights
 * only (a real nats-server with permissions) still gets every alert through.
 */
class StreamManagementIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** admin may do anything; "edge" may publish AURORA.> only, and read the replies (JetStream acks) on its inbox. */
    private static final String ACCOUNTS = """
            accounts {
              SITE {
                jetstream: enabled
                users: [
                  { user: admin, password: admin }
                  { user: edge, password: edge, permissions: { publish: { allow: ["AURORA.>"] }, subscribe: { allow: ["_INBOX.>"] } } }
                ]
              }
            }
            """;

    private NatsServerProcess nats;
    private final List<JetStreamSink> sinks = new ArrayList<>();

    @AfterEach
    void stop() {
        sinks.forEach(JetStreamSink::close);
        if (nats != null) {
            nats.close();
        }
    }

    private JetStreamSink connected(String url, StreamManagement mode, StreamFindings findings) {
        JetStreamSink sink = new JetStreamSink(
                JetStreamSink.Settings.defaults(URI.create(url))
                        .withPublishAckTimeout(TIMEOUT)
                        .withStreamManagement(mode),
                findings);
        sinks.add(sink);
        await().atMost(Duration.ofSeconds(10)).until(sink::isConnected);
        return sink;
    }

    private static StreamConfiguration backendStream(String... subjects) {
        return StreamConfiguration.builder()
                .name("AURORA")
                .subjects(subjects)
                .storageType(StorageType.File)
                .maxMessages(5000)
                .duplicateWindow(Duration.ofMinutes(2))
                .description("the backend's")
                .build();
    }

    @Test
    void createLeavesAnExistingStreamAsFoundReportsWhatItLacksAndKeepsPublishingWhatItCaptures() throws Exception {
        nats = NatsServerProcess.start();
        NatsProbe probe = nats.probe();
        StreamConfiguration before = probe.addStream(backendStream("AURORA.alerts", "AURORA.ioc_sharing"))
                .getConfiguration();
        StreamFindings findings = new StreamFindings();
        JetStreamSink sink = connected(nats.url(), StreamManagement.CREATE, findings);

        sink.deliver(List.of(alert(1, Severity.HIGH), audit(2), alert(3, Severity.CRITICAL)));

        assertThat(probe.messages("AURORA"))
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactly("dev-1:1:1", "dev-1:1:3");
        StreamConfiguration after = probe.streamConfig("AURORA").orElseThrow();
        assertThat(after.getSubjects()).containsExactly("AURORA.alerts", "AURORA.ioc_sharing");
        assertThat(after.getMaxMsgs()).isEqualTo(5000);
        assertThat(after.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(after.getDescription()).isEqualTo(before.getDescription());
        assertThat(findings.current())
                .hasSize(2)
                .anySatisfy(f -> assertThat(f).contains("does not capture AURORA.audit"))
                .anySatisfy(f -> assertThat(f).contains("duplicate_window PT2M is under PT10M"));
        assertThat(sink.skippedUncaptured()).isEqualTo(1);
    }

    @Test
    void createFindsNothingToReportOnAWildcardStreamWithALongDuplicateWindow() throws Exception {
        nats = NatsServerProcess.start();
        nats.probe()
                .addStream(StreamConfiguration.builder()
                        .name("AURORA")
                        .subjects("AURORA.>")
                        .storageType(StorageType.File)
                        .duplicateWindow(Duration.ofMinutes(20))
                        .build());
        StreamFindings findings = new StreamFindings();
        JetStreamSink sink = connected(nats.url(), StreamManagement.CREATE, findings);

        sink.deliver(List.of(alert(1, Severity.HIGH), audit(2)));

        assertThat(nats.probe().count("AURORA")).isEqualTo(2);
        assertThat(findings.current()).isEmpty();
        assertThat(nats.probe().streamConfig("AURORA").orElseThrow().getSubjects())
                .containsExactly("AURORA.>");
    }

    @Test
    void createMakesAMissingStreamWithTheSeedsSettings() throws Exception {
        nats = NatsServerProcess.start();
        connected(nats.url(), StreamManagement.CREATE, new StreamFindings()).deliver(List.of(alert(1, Severity.HIGH)));

        StreamConfiguration c = nats.probe().streamConfig("AURORA").orElseThrow();
        assertThat(c.getSubjects())
                .containsExactlyInAnyOrder(
                        "AURORA.alerts", "AURORA.ioc_sharing", "AURORA.agent_results", "AURORA.audit");
        assertThat(c.getMaxMsgs()).isEqualTo(100_000);
        assertThat(c.getMaxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void manageStillUpdatesTheStreamAsAnOptIn() throws Exception {
        nats = NatsServerProcess.start();
        nats.probe().addStream(backendStream("AURORA.alerts"));
        connected(nats.url(), StreamManagement.MANAGE, new StreamFindings()).deliver(List.of(alert(1, Severity.HIGH)));

        StreamConfiguration c = nats.probe().streamConfig("AURORA").orElseThrow();
        assertThat(c.getSubjects()).hasSize(4);
        assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void offPublishesWithAUserThatMayOnlyPublishAndNeverAsksAboutTheStream() throws Exception {
        nats = NatsServerProcess.builder()
                .accounts(ACCOUNTS)
                .user("admin", "admin")
                .start();
        NatsProbe admin = nats.probe();
        admin.addStream(backendStream("AURORA.alerts", "AURORA.audit", "AURORA.ioc_sharing"));
        String edgeUrl = nats.url().replace("admin:admin@", "edge:edge@");
        StreamFindings findings = new StreamFindings();
        JetStreamSink sink = connected(edgeUrl, StreamManagement.OFF, findings);

        sink.deliver(List.of(alert(1, Severity.HIGH), audit(2)));

        assertThat(admin.messages("AURORA"))
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactly("dev-1:1:1", "gw-audit:2");
        assertThat(findings.current()).isEmpty();
        assertThat(java.nio.file.Files.readString(nats.dir().resolve("server.log")))
                .doesNotContain("Permissions Violation");
    }

    @Test
    void createWithAPublishOnlyUserReportsTheRefusedCheckAndStillPublishes() throws Exception {
        nats = NatsServerProcess.builder()
                .accounts(ACCOUNTS)
                .user("admin", "admin")
                .start();
        NatsProbe admin = nats.probe();
        admin.addStream(backendStream("AURORA.alerts", "AURORA.audit", "AURORA.ioc_sharing"));
        String edgeUrl = nats.url().replace("admin:admin@", "edge:edge@");
        StreamFindings findings = new StreamFindings();
        JetStreamSink sink = connected(edgeUrl, StreamManagement.CREATE, findings);

        sink.deliver(List.of(alert(1, Severity.HIGH), audit(2)));

        assertThat(admin.messages("AURORA"))
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactly("dev-1:1:1", "gw-audit:2");
        assertThat(findings.current())
                .singleElement()
                .satisfies(f -> assertThat(f).contains("could not be checked"));
        assertThat(admin.streamConfig("AURORA").orElseThrow().getMaxMsgs()).isEqualTo(5000);
    }

    @Test
    void heldDeviceDataNeverReachesTheSharedStream() throws Exception {
        nats = NatsServerProcess.start();
        JetStreamSink sink = connected(nats.url(), StreamManagement.CREATE, new StreamFindings());

        sink.deliver(List.of(alert(1, Severity.HIGH), Records.record(2, Channel.HELD, Severity.HIGH), audit(3)));

        assertThat(nats.probe().messages("AURORA"))
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactly("dev-1:1:1", "gw-audit:3");
    }
}
