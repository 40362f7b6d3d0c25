package aurora.edge.sim;

/** The alerts an honest first-cut device raises; severities follow ARCHITECTURE §3. */
enum AlertKind {
    TAMPER("critical", "tamper", "enclosure opened"),
    OVER_TEMPERATURE("high", "threshold", "temperature above limit"),
    VIBRATION("medium", "threshold", "vibration above limit"),
    BATTERY_LOW("low", "battery", "battery low"),
    SELF_TEST("info", "self_test", "self test passed");

    private static final AlertKind[] ALL = values();

    final String severity;
    final String kind;
    final String title;

    AlertKind(String severity, String kind, String title) {
        this.severity = severity;
        this.kind = kind;
        this.title = title;
    }

    static AlertKind of(int ordinal) {
        return ALL[ordinal];
    }

    static int count() {
        return ALL.length;
    }
}
