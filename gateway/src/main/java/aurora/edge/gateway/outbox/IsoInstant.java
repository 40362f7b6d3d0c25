package aurora.edge.gateway.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An instant as {@link Instant#toString} (= {@code DateTimeFormatter.ISO_INSTANT}) writes it, e.g.
 * {@code 2026-12-05T07:46:58.123Z}, without the formatter's builder and print context: every device
 * message has its time written twice ({@code received_at} in the event, {@code accepted_at} in its
 * Redis entry), ~1.1 KB of garbage per message through the formatter (bench/README.md "Allocation per
 * message"). Years outside 0000–9999 are left to {@link Instant#toString}.
 */
public final class IsoInstant {
    private static final long SECONDS_PER_DAY = 86_400;
    /** Seconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z. */
    private static final long MIN_SECOND = -62_167_219_200L;

    private static final long MAX_SECOND = 253_402_300_800L;

    private IsoInstant() {}

    /** The same text as {@code instant.toString()}. */
    public static String format(Instant instant) {
        byte[] ascii = ascii(instant);
        return ascii == null ? instant.toString() : new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /** The same text as {@code instant.toString()}, as US-ASCII bytes. */
    public static byte[] bytes(Instant instant) {
        byte[] ascii = ascii(instant);
        return ascii == null ? instant.toString().getBytes(StandardCharsets.US_ASCII) : ascii;
    }

    private static byte @Nullable [] ascii(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_SECOND || seconds >= MAX_SECOND) {
            return null;
        }
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // days since 1970-01-01 -> civil date (H. Hinnant's days_from_civil, inverted), proleptic Gregorian as
        // java.time
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

        int nanos = instant.getNano();
        int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        // "yyyy-MM-ddTHH:mm:ss" (19) + the fraction with its point + "Z"
        byte[] out = new byte[19 + (fractionDigits == 0 ? 0 : 1 + fractionDigits) + 1];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3_600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int at = 19;
        if (fractionDigits > 0) {
            out[at++] = '.';
            int fraction = fractionDigits == 3 ? nanos / 1_000_000 : fractionDigits == 6 ? nanos / 1_000 : nanos;
            digits(out, at, fraction, fractionDigits);
            at += fractionDigits;
        }
        out[at] = 'Z';
        return out;
    }

    private static void digits(byte[] out, int from, int value, int width) {
        for (int i = from + width - 1; i >= from; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
