package aurora.edge.attestation.mcuboot;

import static aurora.edge.attestation.Problem.IMAGE_TLV_BAD_LENGTH;
import static aurora.edge.attestation.Problem.IMAGE_TLV_DUPLICATE;
import static aurora.edge.attestation.Problem.IMAGE_TLV_UNEXPECTED;

import aurora.edge.attestation.ProblemException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which TLVs may appear where, how long they are and how often. The unprotected area is not
 * covered by the hash, so only the entries the verifier reads are allowed there (as MCUboot's
 * {@code MCUBOOT_USE_TLV_ALLOW_LIST}); a second SHA or signature entry would let an attacker make
 * the verifier and the bootloader look at different values, so duplicates are refused.
 */
final class TlvRules {
    /** Allowed unprotected types and their exact length (0 = variable, bounded below). */
    private static final Map<Integer, Integer> UNPROTECTED =
            Map.of(Tlv.SHA256, 32, Tlv.KEYHASH, 32, Tlv.PUBKEY, 0, Tlv.ECDSA_SIG, 0, Tlv.ED25519, 64);

    private static final int MAX_PUBKEY = 256;
    private static final int MAX_ECDSA_SIG = 72;
    /** Types that only make sense outside the hashed region. */
    private static final Set<Integer> NEVER_PROTECTED = Set.of(
            Tlv.SHA256,
            Tlv.SHA384,
            Tlv.SHA512,
            Tlv.KEYHASH,
            Tlv.PUBKEY,
            Tlv.ECDSA_SIG,
            Tlv.ED25519,
            Tlv.RSA2048_PSS,
            Tlv.RSA3072_PSS,
            Tlv.SIG_PURE);

    private static final Set<Integer> SIGNATURES = Set.of(Tlv.ECDSA_SIG, Tlv.ED25519);
    private static final Set<Integer> KEY_IDS = Set.of(Tlv.KEYHASH, Tlv.PUBKEY);

    private TlvRules() {}

    static List<Tlv> check(List<Tlv> tlvs) throws ProblemException {
        Set<Integer> seen = new HashSet<>();
        for (Tlv tlv : tlvs) {
            if (tlv.isProtected()) {
                checkProtected(tlv);
            } else {
                checkUnprotected(tlv);
            }
            int family = SIGNATURES.contains(tlv.type()) ? -1 : KEY_IDS.contains(tlv.type()) ? -2 : tlv.type();
            if (!seen.add(family) && (!tlv.isProtected() || tlv.type() == Tlv.SEC_CNT)) {
                throw new ProblemException(
                        IMAGE_TLV_DUPLICATE,
                        String.format(
                                Locale.ROOT,
                                "TLV 0x%02x at %d repeats an entry of the same kind",
                                tlv.type(),
                                tlv.valueOffset()));
            }
        }
        return List.copyOf(tlvs);
    }

    private static void checkProtected(Tlv tlv) throws ProblemException {
        if (NEVER_PROTECTED.contains(tlv.type())) {
            throw new ProblemException(
                    IMAGE_TLV_UNEXPECTED,
                    String.format(
                            Locale.ROOT,
                            "TLV 0x%02x at %d must not be in the protected area",
                            tlv.type(),
                            tlv.valueOffset()));
        }
        if (tlv.type() == Tlv.SEC_CNT && tlv.length() != 4) {
            throw badLength(tlv, "4");
        }
    }

    private static void checkUnprotected(Tlv tlv) throws ProblemException {
        Integer length = UNPROTECTED.get(tlv.type());
        if (length == null) {
            throw new ProblemException(
                    IMAGE_TLV_UNEXPECTED,
                    String.format(
                            Locale.ROOT,
                            "TLV 0x%02x at %d is not allowed in the unprotected area (supported: SHA256, KEYHASH, PUBKEY, ECDSA_SIG, ED25519)",
                            tlv.type(),
                            tlv.valueOffset()));
        }
        if (length != 0 && tlv.length() != length) {
            throw badLength(tlv, String.valueOf(length));
        }
        if (tlv.type() == Tlv.PUBKEY && (tlv.length() < 1 || tlv.length() > MAX_PUBKEY)) {
            throw badLength(tlv, "1.." + MAX_PUBKEY);
        }
        if (tlv.type() == Tlv.ECDSA_SIG && (tlv.length() < 8 || tlv.length() > MAX_ECDSA_SIG)) {
            throw badLength(tlv, "8.." + MAX_ECDSA_SIG);
        }
    }

    private static ProblemException badLength(Tlv tlv, String expected) {
        return new ProblemException(
                IMAGE_TLV_BAD_LENGTH,
                String.format(
                        Locale.ROOT,
                        "TLV 0x%02x at %d must be %s bytes, found %d",
                        tlv.type(),
                        tlv.valueOffset(),
                        expected,
                        tlv.length()));
    }
}
