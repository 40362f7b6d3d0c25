package aurora.edge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ServerProcessIT {

    @Test
    void redisRestartsOnTheSamePortAndKeepsDataWithAppendOnlyPersistence() {
        try (RedisServerProcess redis = RedisServerProcess.start(RedisServerProcess.Persistence.AOF)) {
            int port = redis.port();
            redis.cli("SET", "k", "v");

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.cli("GET", "k").strip()).isEqualTo("v");
        }
    }

    @Test
    void redisWithoutPersistenceComesBackEmpty() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            redis.cli("SET", "k", "v");

            redis.restart();

            assertThat(redis.cli("EXISTS", "k").strip()).isEqualTo("0");
        }
    }

    @Test
    void natsRestartKeepsTheJetStreamStoreAndCloseDeletesTheTempDir() {
        NatsServerProcess nats = NatsServerProcess.start();
        try (nats) {
            nats.probe()
                    .addStream(StreamConfiguration.builder()
                            .name("S")
                            .subjects("s.>")
                            .storageType(StorageType.File)
                            .build());
            nats.probe().publish("s.1", "x");

            nats.kill();
            nats.restart();

            assertThat(nats.probe().count("S")).isEqualTo(1);
        }
        assertThat(Files.exists(nats.dir())).isFalse();
    }

    @Test
    void aServerThatCannotStartFailsWithItsOwnOutput() {
        assertThatThrownBy(() -> NatsServerProcess.builder()
                        .accounts("this is { not valid")
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining("nats.conf");
    }
}
