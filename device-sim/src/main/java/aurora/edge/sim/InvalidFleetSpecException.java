package aurora.edge.sim;

/** A {@link FleetSpec} field with a value outside its range; names the field and the bad value. */
public final class InvalidFleetSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    InvalidFleetSpecException(String field, Object value, String problem) {
        super(field + " " + problem + ", found: " + value);
        this.field = field;
        this.value = String.valueOf(value);
    }

    /** The record component name, e.g. {@code deviceCount}. */
    public String field() {
        return field;
    }

    /** The rejected value as text (never the site key). */
    public String value() {
        return value;
    }
}
