package aurora.edge.attestation.mcuboot;

import static aurora.edge.attestation.Problem.IMAGE_BAD_HEADER_SIZE;
import static aurora.edge.attestation.Problem.IMAGE_BAD_MAGIC;
import static aurora.edge.attestation.Problem.IMAGE_BAD_TLV_INFO;
import static aurora.edge.attestation.Problem.IMAGE_PROTECTED_SIZE_MISMATCH;
import static aurora.edge.attestation.Problem.IMAGE_TLV_OVERRUN;
import static aurora.edge.attestation.Problem.IMAGE_TOO_LARGE;
import static aurora.edge.attestation.Problem.IMAGE_TRAILING_BYTES;
import static aurora.edge.attestation.Problem.IMAGE_TRUNCATED;
import static aurora.edge.attestation.Problem.IMAGE_UNSUPPORTED_FLAGS;

import aurora.edge.attestation.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Structural parse of an MCUboot image, in the order {@code bootutil_img_validate} walks it:
 * header, body, optional protected TLV area, unprotected TLV area, end of file. Every offset is
 * computed in {@code long} and compared with the real length before it is used, so a lying length
 * field gives a typed problem, never an index exception or a large allocation.
 */
final class ImageParser {
    private final byte[] bytes;

    private ImageParser(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Parses a private copy of {@code bytes}, made only once the size is known to be sane. */
    static McubootImage parse(byte[] bytes) throws ProblemException {
        if (bytes.length > McubootImage.MAX_IMAGE_BYTES) {
            throw new ProblemException(
                    IMAGE_TOO_LARGE,
                    "image must be <= " + McubootImage.MAX_IMAGE_BYTES + " bytes, found " + bytes.length);
        }
        return new ImageParser(bytes.clone()).parse();
    }

    private McubootImage parse() throws ProblemException {
        ImageHeader header = header();
        List<Tlv> tlvs = new ArrayList<>();
        long offset = header.bodyEnd();
        if (header.protectedTlvSize() != 0) {
            offset = area(offset, Tlv.PROTECTED_INFO_MAGIC, header.protectedTlvSize(), tlvs);
        } else if (offset + 2 <= bytes.length && u16(offset) == Tlv.PROTECTED_INFO_MAGIC) {
            throw new ProblemException(
                    IMAGE_PROTECTED_SIZE_MISMATCH,
                    "ih_protect_tlv_size is 0 but a protected TLV area follows the body");
        }
        offset = area(offset, Tlv.INFO_MAGIC, -1, tlvs);
        if (offset != bytes.length) {
            throw new ProblemException(
                    IMAGE_TRAILING_BYTES,
                    (bytes.length - offset) + " bytes follow the TLV area that ends at " + offset);
        }
        return new McubootImage(bytes, header, TlvRules.check(tlvs));
    }

    private ImageHeader header() throws ProblemException {
        if (bytes.length < ImageHeader.SIZE) {
            throw new ProblemException(
                    IMAGE_TRUNCATED, "image must be >= 32 bytes (the header), found " + bytes.length);
        }
        long magic = u32(0);
        if (magic != ImageHeader.MAGIC) {
            throw new ProblemException(
                    IMAGE_BAD_MAGIC, String.format(Locale.ROOT, "ih_magic must be 0x96f3b83d, found 0x%08x", magic));
        }
        int headerSize = u16(8);
        if (headerSize < ImageHeader.SIZE) {
            throw new ProblemException(IMAGE_BAD_HEADER_SIZE, "ih_hdr_size must be >= 32, found " + headerSize);
        }
        long flags = u32(16);
        long unsupported = flags
                & (ImageHeader.FLAG_ENCRYPTED_AES128
                        | ImageHeader.FLAG_ENCRYPTED_AES256
                        | ImageHeader.FLAGS_COMPRESSED);
        if (unsupported != 0) {
            // The hash of an encrypted or compressed image covers bytes we do not have.
            throw new ProblemException(
                    IMAGE_UNSUPPORTED_FLAGS,
                    String.format(
                            Locale.ROOT, "ih_flags 0x%x has encryption/compression bits 0x%x", flags, unsupported));
        }
        ImageVersion version = new ImageVersion(bytes[20] & 0xff, bytes[21] & 0xff, u16(22), u32(24));
        ImageHeader header = new ImageHeader(u32(4), headerSize, u16(10), u32(12), flags, version);
        if (header.bodyEnd() > bytes.length) {
            throw new ProblemException(
                    IMAGE_TRUNCATED,
                    "ih_hdr_size " + headerSize + " + ih_img_size " + header.imageSize() + " = " + header.bodyEnd()
                            + " exceeds the image length " + bytes.length);
        }
        return header;
    }

    /** Reads one TLV area at {@code start}; returns the offset just past it. */
    private long area(long start, int magic, int expectedTotal, List<Tlv> into) throws ProblemException {
        boolean isProtected = magic == Tlv.PROTECTED_INFO_MAGIC;
        String name = isProtected ? "protected TLV area" : "TLV area";
        if (start + Tlv.HEADER_SIZE > bytes.length) {
            throw new ProblemException(
                    IMAGE_TRUNCATED, name + " info at " + start + " is past the end " + bytes.length);
        }
        int foundMagic = u16(start);
        if (foundMagic != magic) {
            throw new ProblemException(
                    IMAGE_BAD_TLV_INFO,
                    String.format(
                            Locale.ROOT,
                            "%s at %d must start with magic 0x%04x, found 0x%04x",
                            name,
                            start,
                            magic,
                            foundMagic));
        }
        int total = u16(start + 2);
        if (isProtected && total != expectedTotal) {
            throw new ProblemException(
                    IMAGE_PROTECTED_SIZE_MISMATCH,
                    "ih_protect_tlv_size is " + expectedTotal + " but the protected area says it_tlv_tot " + total);
        }
        if (total < Tlv.HEADER_SIZE) {
            throw new ProblemException(IMAGE_BAD_TLV_INFO, name + " it_tlv_tot must be >= 4, found " + total);
        }
        long end = start + total;
        if (end > bytes.length) {
            throw new ProblemException(
                    IMAGE_TRUNCATED, name + " ends at " + end + ", past the image length " + bytes.length);
        }
        long at = start + Tlv.HEADER_SIZE;
        while (at < end) {
            if (at + Tlv.HEADER_SIZE > end) {
                throw new ProblemException(
                        IMAGE_TLV_OVERRUN, "TLV header at " + at + " crosses the end of the " + name + " at " + end);
            }
            int type = u16(at);
            int length = u16(at + 2);
            if (at + Tlv.HEADER_SIZE + length > end) {
                throw new ProblemException(
                        IMAGE_TLV_OVERRUN,
                        String.format(
                                Locale.ROOT,
                                "TLV 0x%02x at %d has length %d, crossing the end of the %s at %d",
                                type,
                                at,
                                length,
                                name,
                                end));
            }
            into.add(new Tlv(type, (int) (at + Tlv.HEADER_SIZE), length, isProtected));
            at += Tlv.HEADER_SIZE + length;
        }
        return end;
    }

    private int u16(long offset) {
        int at = (int) offset;
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    private long u32(long offset) {
        return u16(offset) | (long) u16(offset + 2) << 16;
    }
}
