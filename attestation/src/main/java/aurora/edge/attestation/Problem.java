package aurora.edge.attestation;

/**
 * The closed catalog of reasons why the library refuses an input. Each constant has a stable
 * {@link #code()} that callers may use as a metric tag or an audit text key; codes never change
 * meaning once released. The free-text detail that travels with a problem (see
 * {@link Result.Failed}) names the field and the bad value.
 */
public enum Problem {
    // MCUboot images
    IMAGE_TOO_LARGE("image.too_large"),
    IMAGE_TRUNCATED("image.truncated"),
    IMAGE_BAD_MAGIC("image.bad_magic"),
    IMAGE_BAD_HEADER_SIZE("image.bad_header_size"),
    IMAGE_UNSUPPORTED_FLAGS("image.unsupported_flags"),
    IMAGE_BAD_TLV_INFO("image.bad_tlv_info"),
    IMAGE_PROTECTED_SIZE_MISMATCH("image.protected_size_mismatch"),
    IMAGE_TLV_OVERRUN("image.tlv_overrun"),
    IMAGE_TRAILING_BYTES("image.trailing_bytes"),
    IMAGE_TLV_DUPLICATE("image.tlv_duplicate"),
    IMAGE_TLV_UNEXPECTED("image.tlv_unexpected"),
    IMAGE_TLV_BAD_LENGTH("image.tlv_bad_length"),
    IMAGE_HASH_MISSING("image.hash_missing"),
    IMAGE_HASH_MISMATCH("image.hash_mismatch"),
    IMAGE_KEY_MISSING("image.key_missing"),
    IMAGE_SIGNATURE_MISSING("image.signature_missing"),
    IMAGE_SIGNER_DENYLISTED("image.signer_denylisted"),
    IMAGE_SIGNER_UNKNOWN("image.signer_unknown"),
    IMAGE_SIGNATURE_ALGORITHM_MISMATCH("image.signature_algorithm_mismatch"),
    IMAGE_SIGNATURE_MALFORMED("image.signature_malformed"),
    IMAGE_SIGNATURE_INVALID("image.signature_invalid"),

    // keys
    KEY_MALFORMED("key.malformed"),
    KEY_UNSUPPORTED("key.unsupported"),
    KEY_DENYLISTED("key.denylisted"),

    // vendor-signed documents (manifest, endorsement list)
    DOCUMENT_TOO_LARGE("document.too_large"),
    DOCUMENT_SIGNATURE_INVALID("document.signature_invalid"),
    DOCUMENT_SIGNER_DENYLISTED("document.signer_denylisted"),
    DOCUMENT_MALFORMED_JSON("document.malformed_json"),
    DOCUMENT_SCHEMA("document.schema"),
    DOCUMENT_ROLLBACK("document.rollback"),
    DOCUMENT_EXPIRED("document.expired"),
    DOCUMENT_INCONSISTENT("document.inconsistent"),

    // device messages (challenge command, evidence)
    MESSAGE_TOO_LARGE("message.too_large"),
    MESSAGE_MALFORMED_JSON("message.malformed_json"),
    MESSAGE_SCHEMA("message.schema");

    private final String code;

    Problem(String code) {
        this.code = code;
    }

    /** Stable, dotted, lower-case identifier, e.g. {@code image.hash_mismatch}. */
    public String code() {
        return code;
    }
}
