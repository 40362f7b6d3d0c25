package aurora.edge.gateway.forward;

import aurora.edge.gateway.config.StreamManagement;
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
 * The federation stream (ARCHITECTURE §3), shared with the AuroraSOC backend. Under
 * {@link StreamManagement#CREATE} it is created with the seed's settings when missing and otherwise
 * only checked: what the gateway needs and does not find is returned as findings, and nothing is
 * changed. {@link StreamManagement#MANAGE} also updates the settings the gateway relies on.
 * {@link StreamManagement#OFF} is never passed here.
 */
final class AuroraStream {
    private static final Logger log = LoggerFactory.getLogger(JetStreamSink.class);
    static final long MAX_MESSAGES = 100_000;
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final List<String> SUBJECT_SUFFIXES = List.of("alerts", "ioc_sharing", "agent_results", "audit");
    /** The subjects the gateway publishes to or consumes from; {@code agent_results} is the backend's alone. */
    static final List<String> NEEDED_SUFFIXES = List.of("alerts", "audit", "ioc_sharing");
    /** Shorter, and a message retried after a longer outage is no longer recognised (ARCHITECTURE §3). */
    static final Duration MIN_DUPLICATE_WINDOW = Duration.ofMinutes(10);

    private static final int STREAM_NOT_FOUND = 10059;

    /**
     * The outcome of one check.
     *
     * @param findings   what an operator should know, one line each; empty when all is as needed
     * @param uncaptured subjects the gateway publishes to that the stream does not capture (publishing
     *                   there cannot succeed, so those records are skipped rather than blocking the rest)
     */
    record Check(List<String> findings, Set<String> uncaptured) {
        static final Check CLEAN = new Check(List.of(), Set.of());
    }

    private final String name;
    private final String prefix;
    private final List<String> subjects;
    private final Duration duplicateWindow;
    private final @Nullable String domain;

    AuroraStream(String name, String subjectPrefix, Duration duplicateWindow, @Nullable String domain) {
        this.name = name;
        this.prefix = subjectPrefix;
        this.subjects =
                SUBJECT_SUFFIXES.stream().map(s -> subjectPrefix + "." + s).toList();
        this.duplicateWindow = duplicateWindow;
        this.domain = domain;
    }

    List<String> subjects() {
        return subjects;
    }

    /**
     * Creates the stream when missing; an existing one is checked and, under MANAGE only, updated.
     * Throws when the server refuses a create or (MANAGE) an update, or (MANAGE) the info request.
     */
    Check ensure(JetStreamManagement jsm, StreamManagement mode) throws IOException, JetStreamApiException {
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            jsm.addStream(apply(StreamConfiguration.builder().name(name)));
            log.info(
                    "jetstream stream created stream={} domain={} subjects={} max_msgs={} max_age={} storage=file duplicate_window={}",
                    name,
                    domain,
                    subjects,
                    MAX_MESSAGES,
                    MAX_AGE,
                    duplicateWindow);
            return Check.CLEAN;
        }
        StreamConfiguration current = info.getConfiguration();
        return mode == StreamManagement.MANAGE ? update(jsm, current) : inspect(current);
    }

    /** CREATE on an existing stream: never changed; what the gateway needs and misses is reported. */
    Check inspect(StreamConfiguration current) {
        List<String> findings = new ArrayList<>();
        Set<String> uncaptured = new java.util.TreeSet<>();
        for (String suffix : NEEDED_SUFFIXES) {
            String subject = prefix + "." + suffix;
            if (current.getSubjects().stream().noneMatch(f -> SubjectFilter.matches(f, subject))) {
                findings.add(
                        "stream " + name + " does not capture " + subject + " (subjects " + current.getSubjects() + ")"
                                + (suffix.equals("ioc_sharing")
                                        ? ": the federation consumer cannot read IOCs"
                                        : ": these events are not published"));
                if (!suffix.equals("ioc_sharing")) {
                    uncaptured.add(subject);
                }
            }
        }
        Duration window = current.getDuplicateWindow();
        if (window == null || window.compareTo(MIN_DUPLICATE_WINDOW) < 0) {
            findings.add("stream " + name + " duplicate_window " + window + " is under " + MIN_DUPLICATE_WINDOW
                    + ": a message retried after a longer outage can be stored twice");
        }
        List<String> otherwise = differences(current);
        if (findings.isEmpty()) {
            log.info(
                    "jetstream stream exists, left as found stream={} domain={} differs_from_seed={}",
                    name,
                    domain,
                    otherwise);
        } else {
            log.warn(
                    "jetstream stream exists and lacks what the gateway needs, left as found (nats.stream_management=create) "
                            + "stream={} domain={} findings={} differs_from_seed={}",
                    name,
                    domain,
                    findings,
                    otherwise);
        }
        return new Check(findings, uncaptured);
    }

    private Check update(JetStreamManagement jsm, StreamConfiguration current)
            throws IOException, JetStreamApiException {
        List<String> changes = differences(current);
        if (changes.isEmpty()) {
            log.debug("jetstream stream matches stream={} domain={}", name, domain);
            return Check.CLEAN;
        }
        log.warn(
                "jetstream stream differs from the configuration, updating (nats.stream_management=manage) stream={} domain={} changes={}",
                name,
                domain,
                changes);
        try {
            jsm.updateStream(apply(StreamConfiguration.builder(current)));
        } catch (JetStreamApiException e) {
            log.error(
                    "jetstream stream update refused stream={} domain={} changes={} error={}",
                    name,
                    domain,
                    changes,
                    e.getMessage());
            throw e;
        }
        return Check.CLEAN;
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
