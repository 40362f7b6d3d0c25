package aurora.edge.bench;

/** Runs a benchmark's main and ends the JVM with its outcome. */
final class Harness {
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
            t.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }
}
