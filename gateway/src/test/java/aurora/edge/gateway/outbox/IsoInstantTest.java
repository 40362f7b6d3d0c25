package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Event times are written without the JDK formatter: the text must stay exactly Instant.toString's. */
class IsoInstantTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.500Z",
                "2026-12-05T07:46:58.123Z",
                "2026-12-05T07:46:58.123400Z",
                "2026-12-05T07:46:58.000000001Z",
                "2000-02-29T12:00:00Z",
                "2024-02-29T23:59:59.999Z",
                "1900-03-01T00:00:00Z",
                "2100-02-28T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "0000-02-29T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z"
            })
    void writesWhatInstantToStringWrites(String text) {
        Instant instant = Instant.parse(text);
        assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        assertThat(new String(IsoInstant.bytes(instant), StandardCharsets.US_ASCII))
                .isEqualTo(instant.toString());
    }

    @Test
    void agreesWithInstantToStringOverTheWholeRangeAndEveryPrecision() {
        SplittableRandom random = new SplittableRandom(14);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = i % 2 == 0
                    ? random.nextLong(min, max + 1)
                    : random.nextLong(-86_400L * 3, 86_400L * 366 * 60); // dense around the epoch and now
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void writesATimeWithLittleMoreThanItsText() {
        Instant at = Instant.parse("2026-12-05T07:46:58.123Z");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 50_000; i++) {
            IsoInstant.format(at.plusMillis(i)); // warm-up
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000; i++) {
            IsoInstant.format(at);
        }
        long perCall = (threads.getThreadAllocatedBytes(thread) - before) / 1_000;

        // the text (24 bytes) in a String and one scratch array; the JDK's formatter allocates ~0.5 KB
        assertThat(perCall).isLessThan(160);
    }
}
