package aurora.edge.attestation.keys;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The fixed-width form of an ECDSA P-256 signature, {@code r ‖ s} as two 32-byte big-endian
 * integers (what COSE and many firmware crypto libraries emit), and its DER twin, which is the
 * only form {@link VerifyingKey#verifies} reads.
 */
public final class EcdsaRaw {
    public static final int LENGTH = 64;
    private static final int HALF = LENGTH / 2;

    private EcdsaRaw() {}

    /** The DER encoding of a 64-byte {@code r ‖ s}; throws when the length is not 64. */
    public static byte[] toDer(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("raw ECDSA P-256 signature must be 64 bytes, found " + raw.length);
        }
        byte[] r = new byte[HALF];
        byte[] s = new byte[HALF];
        System.arraycopy(raw, 0, r, 0, HALF);
        System.arraycopy(raw, HALF, s, 0, HALF);
        return EcdsaDer.encode(new BigInteger(1, r), new BigInteger(1, s));
    }

    /** The 64-byte {@code r ‖ s} of a strict DER signature, or empty when it is not one. */
    public static Optional<byte[]> fromDer(byte[] der) {
        return EcdsaDer.decode(der)
                .filter(sig -> sig.r().bitLength() <= 256 && sig.s().bitLength() <= 256)
                .map(sig -> {
                    byte[] raw = new byte[LENGTH];
                    put(sig.r(), raw, 0);
                    put(sig.s(), raw, HALF);
                    return raw;
                });
    }

    private static void put(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > HALF ? bytes.length - HALF : 0; // a leading sign byte
        int length = bytes.length - skip;
        System.arraycopy(bytes, skip, out, offset + HALF - length, length);
    }
}
