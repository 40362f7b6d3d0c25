package aurora.edge.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a benchmark's main and ends the JVM with its outcome. The benchmarks print their figures on
 * standard output on purpose (that is their product); failures go to the log.
 */
final class Harness {
    private static final Logger log = LoggerFactory.getLogger(Harness.class);

    @FunctionalInterface
    interface Bench {
        void run() throws Exception;
    }

    private Harness() {}

    /**
     * The simulator's MQTT client leaves non-daemon event-loop threads behind, so a benchmark that
     * returned (or failed) would otherwise keep the JVM, and the script that started it, alive.
     */
    static void exitAfter(Bench bench) {
        int status = 0;
        try {
            bench.run();
        } catch (Throwable t) {
            log.error("benchmark failed error={}", t.toString(), t);
            status = 1;
        }
        System.exit(status);
    }
}
