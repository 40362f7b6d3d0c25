package aurora.edge.attestation.keys;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Strict ASN.1 DER for an ECDSA P-256 signature, {@code SEQUENCE { INTEGER r, INTEGER s }}.
 * Strict because a lenient (BER) decoder lets one signature have many encodings, and an
 * encoding-malleable signature is a bug magnet for anything that deduplicates by bytes.
 */
final class EcdsaDer {
    /** 2 + 2 * (2 + 33): the largest DER encoding of a P-256 signature. */
    static final int MAX_LENGTH = 72;

    private EcdsaDer() {}

    record Signature(BigInteger r, BigInteger s) {}

    static Optional<Signature> decode(byte[] der) {
        if (der.length < 8 || der.length > MAX_LENGTH || der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
            return Optional.empty();
        }
        int[] cursor = {2};
        Optional<BigInteger> r = integer(der, cursor);
        Optional<BigInteger> s = r.isEmpty() ? Optional.empty() : integer(der, cursor);
        if (s.isEmpty() || cursor[0] != der.length) {
            return Optional.empty();
        }
        return Optional.of(new Signature(r.get(), s.get()));
    }

    static byte[] encode(BigInteger r, BigInteger s) {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_LENGTH);
        out.write(0x30);
        out.write(4 + rBytes.length + sBytes.length);
        out.write(0x02);
        out.write(rBytes.length);
        out.writeBytes(rBytes);
        out.write(0x02);
        out.write(sBytes.length);
        out.writeBytes(sBytes);
        return out.toByteArray();
    }

    private static Optional<BigInteger> integer(byte[] der, int[] cursor) {
        int at = cursor[0];
        if (at + 2 > der.length || der[at] != 0x02) {
            return Optional.empty();
        }
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        if (length < 1 || length > 33 || start + length > der.length) {
            return Optional.empty();
        }
        boolean negative = (der[start] & 0x80) != 0;
        boolean needlessZero = length > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0;
        if (negative || needlessZero) {
            return Optional.empty();
        }
        byte[] magnitude = new byte[length];
        System.arraycopy(der, start, magnitude, 0, length);
        cursor[0] = start + length;
        return Optional.of(new BigInteger(1, magnitude));
    }
}
