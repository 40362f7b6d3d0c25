package aurora.edge.bench.sidebyside;

import java.util.Map;

/** One system the generator drives: where its MQTT listener is and which processes to account for. */
interface SystemUnderTest extends AutoCloseable {
    /** Row label. */
    String name();

    int mqttPort();

    /** Label → pid; the first entry is the system itself (its CPU and RSS are the row's), the rest are helpers (sinks). */
    Map<String, Long> processes();

    /** Whether devices authenticate with site-key credentials (file path), or "" for none. */
    default String siteKeyFile() {
        return "";
    }

    default boolean credentials() {
        return false;
    }

    /** Whether the generator subscribes to the cumulative durable-ack topic. */
    default boolean durableAcks() {
        return false;
    }

    /** After a scenario: sink-side figures (delivery, latency) for messages sent since {@code fromEpochMillis}. */
    default Map<String, Object> afterScenario(
            String scenario, String idPrefix, long fromEpochMillis, long measureFromEpochMillis, long pubacked)
            throws Exception {
        return Map.of();
    }

    /** Stops the system's processes (and deletes nothing a reader of the run dir may want). */
    @Override
    void close();
}
