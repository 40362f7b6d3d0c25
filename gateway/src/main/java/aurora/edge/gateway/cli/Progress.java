package aurora.edge.gateway.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command-line operation on standard error: how far, how fast, and when it will
 * be done. On a terminal one line is rewritten in place (at most {@link #TTY_EVERY}); otherwise (a
 * log, a pipe) a whole line every {@link #LOG_EVERY}, so a journal is not flooded. The rate is the
 * average since the start, so the ETA settles instead of jumping with each batch. Not thread-safe:
 * one operation, one caller.
 */
final class Progress implements AutoCloseable {
    static final Duration TTY_EVERY = Duration.ofMillis(250);
    static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final String what;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean tty;
    private final LongSupplier nanos;
    private final long startNanos;
    private long lastPrintNanos;
    private long done;

    /**
     * @param what  the operation, e.g. {@code vacuum}
     * @param total how many {@code unit}s in all; {@code -1} when unknown (no percentage nor ETA then)
     * @param unit  what is counted, e.g. {@code events}, {@code bytes}
     * @param tty   whether {@code out} is a terminal (a rewriting line) or not (a line every few seconds)
     * @param nanos the clock, {@link System#nanoTime} but in tests
     */
    Progress(String what, long total, String unit, PrintStream out, boolean tty, LongSupplier nanos) {
        if (total < -1) {
            throw new IllegalArgumentException("total must be -1 (unknown) or >= 0, found " + total);
        }
        this.what = what;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.tty = tty;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /**
     * On standard error, with the real clock; a rewriting line when the JVM has a console (standard
     * input and output on a terminal: an operator at a shell, not a pipe, a timer or a test). The
     * project targets Java 17, where {@code System.console()} is null exactly then.
     */
    @SuppressWarnings("SystemConsoleNull")
    static Progress onStderr(String what, long total, String unit) {
        return new Progress(what, total, unit, System.err, System.console() != null, System::nanoTime);
    }

    /** {@code n} more units done. */
    void advance(long n) {
        at(done + n);
    }

    /** {@code done} units done in all; printed when the interval has passed. */
    void at(long done) {
        this.done = done;
        long now = nanos.getAsLong();
        if (now - lastPrintNanos >= (tty ? TTY_EVERY : LOG_EVERY).toNanos()) {
            lastPrintNanos = now;
            print(now, false);
        }
    }

    /** Prints the line now, whatever the interval: a phase begins, and the operator sees where it starts. */
    void show() {
        long now = nanos.getAsLong();
        lastPrintNanos = now;
        print(now, false);
    }

    /** The final line, always printed. */
    @Override
    public void close() {
        print(nanos.getAsLong(), true);
    }

    /** The line as it is printed now (without the terminal's carriage return). */
    String line(long now, boolean finished) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder b = new StringBuilder(what).append(": ").append(done);
        if (total >= 0) {
            b.append('/').append(total);
        }
        b.append(' ').append(unit);
        if (total > 0) {
            b.append(String.format(Locale.ROOT, " (%.0f%%)", Math.min(100.0, 100.0 * done / total)));
        }
        b.append(String.format(Locale.ROOT, ", %s %s/s", rate(rate), unit));
        if (finished) {
            b.append(", done in ").append(duration(seconds));
        } else if (total >= 0) {
            b.append(", ETA ").append(rate <= 0 ? "unknown" : duration(Math.max(0, total - done) / rate));
        }
        return b.toString();
    }

    private void print(long now, boolean finished) {
        String line = line(now, finished);
        if (tty) {
            // \r and clear to the end of the line: a shorter line leaves nothing of the longer one behind.
            out.print("\r" + line + "\u001b[K" + (finished ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String rate(double perSecond) {
        return perSecond >= 100 ? String.valueOf(Math.round(perSecond)) : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
