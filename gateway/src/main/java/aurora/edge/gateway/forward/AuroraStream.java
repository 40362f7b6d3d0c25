package aurora.edge.gateway.forward;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation stream (ARCHITECTURE §3): created if missing, updated if one of the fields we own
 * differs (logged at warn with every change), never silently left as found.
 */
final class AuroraStream {
    private static final Logger log = LoggerFactory.getLogger(JetStreamSink.class);
    static final long MAX_MESSAGES = 100_000;
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final List<String> SUBJECT_SUFFIXES = List.of("alerts", "ioc_sharing", "agent_results", "audit");
    private static final int STREAM_NOT_FOUND = 10059;

    private final String name;
    private final List<String> subjects;
    private final Duration duplicateWindow;
    private final @Nullable String domain;

    AuroraStream(String name, String subjectPrefix, Duration duplicateWindow, @Nullable String domain) {
        this.name = name;
        this.subjects = SUBJECT_SUFFIXES.stream().map(s -> subjectPrefix + "." + s).toList();
        this.duplicateWindow = duplicateWindow;
        this.domain = domain;
    }

    List<String> subjects() {
        return subjects;
    }

    /** Makes the server's stream match; throws if the server refuses (for example a storage type change). */
    void ensure(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            jsm.addStream(apply(StreamConfiguration.builder().name(name)));
            log.info("jetstream stream created stream={} domain={} subjects={} max_msgs={} max_age={} storage=file duplicate_window={}",
                    name, domain, subjects, MAX_MESSAGES, MAX_AGE, duplicateWindow);
            return;
        }
        StreamConfiguration current = info.getConfiguration();
        List<String> changes = differences(current);
        if (changes.isEmpty()) {
            log.debug("jetstream stream matches stream={} domain={}", name, domain);
            return;
        }
        log.warn("jetstream stream differs from the configuration, updating stream={} domain={} changes={}", name, domain, changes);
        try {
            jsm.updateStream(apply(StreamConfiguration.builder(current)));
        } catch (JetStreamApiException e) {
            log.error("jetstream stream update refused stream={} domain={} changes={} error={}", name, domain, changes, e.getMessage());
            throw e;
        }
    }

    /** Our fields on top of whatever else the stream has (description, max bytes, ... stay). */
    private StreamConfiguration apply(StreamConfiguration.Builder builder) {
        return builder.subjects(subjects)
                .retentionPolicy(RetentionPolicy.Limits)
                .maxMessages(MAX_MESSAGES)
                .maxAge(MAX_AGE)
                .storageType(StorageType.File)
                .duplicateWindow(duplicateWindow)
                .build();
    }

    /** Human-readable {@code field: found -> wanted} for every owned field that differs. */
    List<String> differences(StreamConfiguration c) {
        List<String> changes = new ArrayList<>();
        if (!Set.copyOf(c.getSubjects()).equals(Set.copyOf(subjects))) {
            changes.add("subjects: " + c.getSubjects() + " -> " + subjects);
        }
        if (c.getRetentionPolicy() != RetentionPolicy.Limits) {
            changes.add("retention: " + c.getRetentionPolicy() + " -> " + RetentionPolicy.Limits);
        }
        if (c.getMaxMsgs() != MAX_MESSAGES) {
            changes.add("max_msgs: " + c.getMaxMsgs() + " -> " + MAX_MESSAGES);
        }
        if (!MAX_AGE.equals(c.getMaxAge())) {
            changes.add("max_age: " + c.getMaxAge() + " -> " + MAX_AGE);
        }
        if (c.getStorageType() != StorageType.File) {
            changes.add("storage: " + c.getStorageType() + " -> " + StorageType.File);
        }
        if (!duplicateWindow.equals(c.getDuplicateWindow())) {
            changes.add("duplicate_window: " + c.getDuplicateWindow() + " -> " + duplicateWindow);
        }
        return changes;
    }
}
