package aurora.edge.attestation.keys;

/** The signature algorithms the library accepts: those MCUboot uses on the nRF52840. */
public enum KeyAlgorithm {
    /** ECDSA on NIST P-256 with SHA-256, signatures in ASN.1 DER. */
    ECDSA_P256,
    /** Ed25519 (RFC 8032, pure), 64-byte signatures. */
    ED25519
}
