package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.device.DeviceTopic;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each device's own topic ids: the predefined ones ({@link PredefinedTopics}) and those it
 * REGISTERed, kept in {@code mqttsn.db}. Ids are per device: a lookup always names the device,
 * so one device's id can never resolve to another device's topic, and a device can register
 * only topics of its own. Used by the gateway's thread only.
 */
final class TopicRegistry {
    /** Topics one device may register; a coin-cell sensor has a handful. */
    static final int MAX_PER_DEVICE = 64;

    private final SnStore store;
    private final Map<String, Map<Integer, String>> byDevice = new HashMap<>();

    TopicRegistry(SnStore store) {
        this.store = store;
    }

    /** Whether {@code topic} is one of {@code deviceId}'s own topics (to publish on, or to be sent). */
    static boolean owns(String deviceId, String topic) {
        if (DeviceTopic.parse(topic).map(t -> t.deviceId().equals(deviceId)).orElse(false)) {
            return true;
        }
        return topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && DeviceTopic.isOwnCommandFilter(topic, deviceId);
    }

    /** The id for {@code topic} (the one it already has, or a new one); empty when it is not the device's or the device has too many. */
    Optional<Integer> register(String deviceId, String topic) {
        if (!owns(deviceId, topic)) {
            return Optional.empty();
        }
        Map<Integer, String> topics = topics(deviceId);
        for (Map.Entry<Integer, String> e : topics.entrySet()) {
            if (e.getValue().equals(topic)) {
                return Optional.of(e.getKey());
            }
        }
        if (topics.size() >= MAX_PER_DEVICE) {
            return Optional.empty();
        }
        int id = PredefinedTopics.FIRST_REGISTERED + topics.size();
        while (topics.containsKey(id)) {
            id++;
        }
        store.addTopic(deviceId, id, topic);
        topics.put(id, topic);
        return Optional.of(id);
    }

    /** The topic {@code deviceId} means by {@code topicId} of {@code type} (normal, predefined or short name). */
    Optional<String> publishTopic(String deviceId, int type, int topicId) {
        return switch (type) {
            case SnFlags.PREDEFINED -> PredefinedTopics.publishTopic(topicId, deviceId);
            case SnFlags.NORMAL -> Optional.ofNullable(topics(deviceId).get(topicId));
            default -> Optional.empty(); // a two-character short name is never a device topic
        };
    }

    /** Drops the device's ids from memory (its session ended); they stay in mqttsn.db for its next session. */
    void unload(String deviceId) {
        byDevice.remove(deviceId);
    }

    private Map<Integer, String> topics(String deviceId) {
        return byDevice.computeIfAbsent(deviceId, store::topics);
    }
}
