package aurora.edge.attestation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reader for the JSON the library accepts (manifest, endorsement list, challenge,
 * evidence): size capped before parsing, duplicate keys and trailing tokens rejected, nesting and
 * string lengths bounded, and every field read through a typed accessor whose error names the
 * field path and the bad value. Shared by the attestation packages; not meant for callers.
 */
public final class JsonInput {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8)
                            .maxNumberLength(24)
                            .maxStringLength(64 * 1024)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;
    private final String path;
    private final Problem schema;

    private JsonInput(ObjectNode node, String path, Problem schema) {
        this.node = node;
        this.path = path;
        this.schema = schema;
    }

    /**
     * Parses a top-level JSON object. {@code kind} selects the problems reported: document
     * problems for vendor files, message problems for device messages.
     */
    public static JsonInput parse(byte[] json, int maxBytes, Kind kind) throws ProblemException {
        if (json.length > maxBytes) {
            throw new ProblemException(kind.tooLarge, "size must be <= " + maxBytes + " bytes, found " + json.length);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            // Jackson reports every syntax, encoding and constraint error this way.
            throw new ProblemException(
                    kind.malformed,
                    String.valueOf(ProblemException.messageOf(e))
                            .lines()
                            .findFirst()
                            .orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(kind.schema, "top level must be a JSON object");
        }
        return new JsonInput((ObjectNode) root, "", kind.schema);
    }

    /** Fails if the object has a field outside {@code allowed}: signed documents are strict. */
    public void allowOnly(Set<String> allowed) throws ProblemException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw fail(name, "is not a known field");
            }
        }
    }

    public boolean has(String field) {
        return node.hasNonNull(field);
    }

    public String text(String field) throws ProblemException {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw fail(field, "must be a string, found " + ProblemException.quote(value.toString()));
        }
        return value.textValue();
    }

    public Optional<String> optionalText(String field) throws ProblemException {
        return has(field) ? Optional.of(text(field)) : Optional.empty();
    }

    /** An integer in {@code [0, max]}; fractions, exponents and strings are refused. */
    public long unsigned(String field, long max) throws ProblemException {
        JsonNode value = required(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw fail(field, "must be an integer, found " + ProblemException.quote(value.toString()));
        }
        long number = value.longValue();
        if (number < 0 || number > max) {
            throw fail(field, "must be in [0, " + max + "], found " + number);
        }
        return number;
    }

    public Instant instant(String field) throws ProblemException {
        String text = text(field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw fail(field, "must be an ISO-8601 UTC instant, found " + ProblemException.quote(text));
        }
    }

    public Sha256 sha256(String field) throws ProblemException {
        String text = text(field);
        try {
            return Sha256.fromHex(text);
        } catch (IllegalArgumentException e) {
            throw fail(field, ProblemException.messageOf(e));
        }
    }

    public JsonInput object(String field) throws ProblemException {
        JsonNode value = required(field);
        if (!value.isObject()) {
            throw fail(field, "must be an object");
        }
        return new JsonInput((ObjectNode) value, where(field), schema);
    }

    /** The names of this object's fields, in document order (for maps keyed by name). */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public List<JsonInput> objects(String field, int maxCount) throws ProblemException {
        List<JsonNode> items = array(field, maxCount);
        List<JsonInput> objects = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw fail(field + "[" + i + "]", "must be an object");
            }
            objects.add(new JsonInput((ObjectNode) items.get(i), where(field + "[" + i + "]"), schema));
        }
        return objects;
    }

    public List<String> texts(String field, int maxCount) throws ProblemException {
        List<JsonNode> items = array(field, maxCount);
        List<String> texts = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                throw fail(field + "[" + i + "]", "must be a string");
            }
            texts.add(items.get(i).textValue());
        }
        return texts;
    }

    /** A schema problem about {@code field}: the message reads "path.field must ...". */
    public ProblemException fail(String field, String problem) {
        return new ProblemException(schema, where(field) + " " + problem);
    }

    private List<JsonNode> array(String field, int maxCount) throws ProblemException {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw fail(field, "must be an array");
        }
        if (value.size() > maxCount) {
            throw fail(field, "must have <= " + maxCount + " entries, found " + value.size());
        }
        List<JsonNode> items = new ArrayList<>(value.size());
        value.elements().forEachRemaining(items::add);
        return items;
    }

    private JsonNode required(String field) throws ProblemException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw fail(field, "is missing");
        }
        return value;
    }

    private String where(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Which family of problems a parse reports. */
    public enum Kind {
        DOCUMENT(Problem.DOCUMENT_TOO_LARGE, Problem.DOCUMENT_MALFORMED_JSON, Problem.DOCUMENT_SCHEMA),
        MESSAGE(Problem.MESSAGE_TOO_LARGE, Problem.MESSAGE_MALFORMED_JSON, Problem.MESSAGE_SCHEMA);

        private final Problem tooLarge;
        private final Problem malformed;
        private final Problem schema;

        Kind(Problem tooLarge, Problem malformed, Problem schema) {
            this.tooLarge = tooLarge;
            this.malformed = malformed;
            this.schema = schema;
        }
    }
}
