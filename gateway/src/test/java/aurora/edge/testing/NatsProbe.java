package aurora.edge.testing;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a JetStream holds, for assertions. Every call opens and closes its own connection,
 * so a probe keeps working across server kills and restarts (a call while the server is down
 * throws; wrap it in Awaitility with {@code ignoreExceptions()}).
 */
public final class NatsProbe {
    private static final int NO_MESSAGE_FOUND = 10037;
    private static final int STREAM_NOT_FOUND = 10059;

    private final String url;
    private final String domain;

    /**
     * @param url    server URL, credentials included if the server needs them
     * @param domain JetStream domain to query through that server, or null for the server's own
     */
    public NatsProbe(String url, String domain) {
        this.url = url;
        this.domain = domain;
    }

    /** One stored message: its stream sequence, subject, headers and body. */
    public record StoredMessage(long seq, String subject, Headers headers, byte[] data, java.time.Instant storedAt) {
        /** The {@code Nats-Msg-Id} header, or null. */
        public String msgId() {
            return headers == null ? null : headers.getFirst("Nats-Msg-Id");
        }

        public String dataUtf8() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Every message the stream holds, in sequence order (gets each sequence from first to last). */
    public List<StoredMessage> messages(String stream) {
        return call(nc -> {
            JetStreamManagement jsm = nc.jetStreamManagement(options());
            StreamState state = jsm.getStreamInfo(stream).getStreamState();
            List<StoredMessage> messages = new ArrayList<>();
            if (state.getMsgCount() == 0) {
                return messages;
            }
            for (long seq = state.getFirstSequence(); seq <= state.getLastSequence(); seq++) {
                try {
                    MessageInfo m = jsm.getMessage(stream, seq);
                    messages.add(new StoredMessage(
                            m.getSeq(),
                            m.getSubject(),
                            m.getHeaders(),
                            m.getData(),
                            m.getTime().toInstant()));
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != NO_MESSAGE_FOUND) {
                        throw e;
                    }
                }
            }
            return messages;
        });
    }

    /** The stream's messages on one subject. */
    public List<StoredMessage> messages(String stream, String subject) {
        return messages(stream).stream()
                .filter(m -> m.subject().equals(subject))
                .toList();
    }

    /** How many messages the stream holds (0 if it does not exist). */
    public long count(String stream) {
        return streamInfo(stream).map(i -> i.getStreamState().getMsgCount()).orElse(0L);
    }

    /** The stream's configuration, or empty if it does not exist. */
    public Optional<StreamConfiguration> streamConfig(String stream) {
        return streamInfo(stream).map(StreamInfo::getConfiguration);
    }

    public Optional<StreamInfo> streamInfo(String stream) {
        return call(nc -> {
            try {
                return Optional.of(nc.jetStreamManagement(options()).getStreamInfo(stream));
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Creates a stream (for example one that differs from what a sink expects). */
    public StreamInfo addStream(StreamConfiguration config) {
        return call(nc -> nc.jetStreamManagement(options()).addStream(config));
    }

    /** Changes an existing stream (for example the subjects it captures). */
    public StreamInfo updateStream(StreamConfiguration config) {
        return call(nc -> nc.jetStreamManagement(options()).updateStream(config));
    }

    public boolean deleteStream(String stream) {
        return call(nc -> nc.jetStreamManagement(options()).deleteStream(stream));
    }

    /** Whether the stream has a consumer with this durable name. */
    public boolean consumerExists(String stream, String durable) {
        return call(nc -> {
            try {
                nc.jetStreamManagement(options()).getConsumerInfo(stream, durable);
                return true;
            } catch (io.nats.client.JetStreamApiException e) {
                return false;
            }
        });
    }

    /** Publishes one message through JetStream in the probe's domain and returns the ack. */
    public PublishAck publish(String subject, String body) {
        return call(nc -> {
            JetStream js = nc.jetStream(options());
            return js.publish(subject, body.getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Publishes one message, with these headers, through JetStream in the probe's domain and returns the ack. */
    public PublishAck publish(String subject, Headers headers, byte[] body) {
        return call(nc -> nc.jetStream(options()).publish(subject, headers, body));
    }

    /** Whether the probe's JetStream (domain) answers an account info request right now. */
    public boolean jetStreamAnswers() {
        try {
            return call(nc -> nc.jetStreamManagement(options()).getAccountStatistics() != null);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private JetStreamOptions options() {
        JetStreamOptions.Builder b = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2));
        if (domain != null && !domain.isEmpty()) {
            b.domain(domain);
        }
        return b.build();
    }

    private interface NatsCall<T> {
        T apply(Connection nc) throws IOException, JetStreamApiException;
    }

    private <T> T call(NatsCall<T> call) {
        Options options = Options.builder()
                .server(url)
                .connectionTimeout(Duration.ofSeconds(2))
                .maxReconnects(0)
                .errorListener(new ErrorListener() {})
                .build();
        Connection nc = null;
        try {
            nc = Nats.connect(options);
            return call.apply(nc);
        } catch (IOException e) {
            throw new UncheckedIOException("nats probe " + url + " domain=" + domain + ": " + e.getMessage(), e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("nats probe " + url + " domain=" + domain + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            closeQuietly(nc);
        }
    }

    private static void closeQuietly(Connection nc) {
        if (nc == null) {
            return;
        }
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
