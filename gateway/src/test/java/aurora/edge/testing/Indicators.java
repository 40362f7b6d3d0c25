package aurora.edge.testing;

/** STIX 2.1-like indicators as the federation shares them on {@code AURORA.ioc_sharing}, for tests. */
public final class Indicators {
    private Indicators() {}

    /** An indicator with this id ({@code indicator--…}) and STIX pattern (written as is into the JSON string). */
    public static String json(String id, String pattern) {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"pattern_type\":\"stix\",\"pattern\":\""
                + pattern + "\"}";
    }
}
