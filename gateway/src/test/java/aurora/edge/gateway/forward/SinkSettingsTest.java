package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aurora.edge.gateway.config.ConfigLoader;
import aurora.edge.gateway.config.GatewayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sink built by hand obeys the same rules and defaults as one built from the configuration file. */
class SinkSettingsTest {
    private static final URI NATS = URI.create("nats://127.0.0.1:4222");
    private static final URI REDIS = URI.create("redis://127.0.0.1:6379");

    @Test
    void sinkDefaultsAreTheConfigurationDefaults() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(JetStreamSink.Settings.of(c.nats())).isEqualTo(JetStreamSink.Settings.defaults(NATS));
        assertThat(RedisStreamSink.Settings.of(c.redis(), "gw", "e1"))
                .isEqualTo(RedisStreamSink.Settings.defaults(REDIS, "gw", "e1"));
    }

    @Test
    void aHandBuiltJetStreamSinkIsRefusedWhatTheFileIsRefusedNamingTheKey() {
        assertThat(JetStreamSink.Settings.defaults(NATS)
                        .withStream("AURORA_HUB", "HUB.AURORA")
                        .subjectPrefix())
                .isEqualTo("HUB.AURORA");
        assertThatThrownBy(() -> JetStreamSink.Settings.defaults(NATS).withStream("AURORA", "AURORA.*"))
                .hasMessageContaining("nats.subject_prefix");
        assertThatThrownBy(() -> JetStreamSink.Settings.defaults(NATS).withDuplicateWindow(Duration.ofMinutes(5)))
                .hasMessageContaining("nats.duplicate_window");
    }

    @Test
    void aHandBuiltRedisSinkIsRefusedWhatTheFileIsRefusedNamingTheKey() {
        assertThatThrownBy(() ->
                        RedisStreamSink.Settings.defaults(REDIS, "gw", "e1").withMaxLen(0))
                .hasMessageContaining("redis.maxlen");
        assertThatThrownBy(() ->
                        RedisStreamSink.Settings.defaults(REDIS, "gw", "e1").withStreams("a b", "t", "u"))
                .hasMessageContaining("redis.streams.alerts");
        assertThatThrownBy(() -> RedisStreamSink.Settings.defaults(URI.create("http://127.0.0.1:6379"), "gw", "e1"))
                .hasMessageContaining("redis.url");
    }
}
