package aurora.edge.attestation.manifest;

/** Whether a known image may run. The JSON spelling is the lower-case name. */
public enum ImageStatus {
    ALLOWED,
    REVOKED;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
