package aurora.edge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for the fuzz properties: a checked-in corpus of real and hostile inputs under
 * {@code src/test/resources/fuzz/NAME/}, replayed as they are and mutated the way fuzzers do
 * (bit flips, byte changes, insertions, deletions, truncation, splices of two entries, repeated
 * chunks). The property run in {@code make test} is bounded by jqwik's tries; {@code make fuzz}
 * raises them. A crash found there becomes a new corpus file.
 */
public final class FuzzCorpus {
    private final List<byte[]> entries;

    private FuzzCorpus(List<byte[]> entries) {
        if (entries.isEmpty()) {
            throw new IllegalStateException("empty fuzz corpus");
        }
        this.entries = entries;
    }

    /** The corpus in {@code fuzz/NAME/} on the test class path. */
    public static FuzzCorpus named(String name) {
        URL dir = FuzzCorpus.class.getClassLoader().getResource("fuzz/" + name);
        if (dir == null) {
            throw new IllegalStateException("no fuzz corpus fuzz/" + name + " on the class path");
        }
        try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
            return new FuzzCorpus(files.sorted().map(FuzzCorpus::read).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<byte[]> entries() {
        return entries;
    }

    /** Corpus entries, unchanged or mutated up to a few times. */
    public Arbitrary<byte[]> inputs() {
        Arbitrary<byte[]> seed = Arbitraries.of(entries).map(byte[]::clone);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, seed),
                net.jqwik.api.Tuple.of(6, mutated(seed)),
                net.jqwik.api.Tuple.of(3, mutated(mutated(mutated(seed)))),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.bytes().array(byte[].class).ofMaxSize(512)));
    }

    private Arbitrary<byte[]> mutated(Arbitrary<byte[]> base) {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Byte> anyByte = Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of(interesting()));
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 6);
        Arbitrary<byte[]> other = Arbitraries.of(entries);
        return Combinators.combine(base, kind, position, anyByte, other).as(FuzzCorpus::mutate);
    }

    private static byte[] mutate(byte[] in, int kind, int position, byte value, byte[] other) {
        int at = in.length == 0 ? 0 : position % in.length;
        switch (kind) {
            case 0 -> { // flip a bit
                if (in.length > 0) in[at] ^= (byte) (1 << (position % 8));
                return in;
            }
            case 1 -> { // replace a byte
                if (in.length > 0) in[at] = value;
                return in;
            }
            case 2 -> { // insert a byte
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = value;
                System.arraycopy(in, at, out, at + 1, in.length - at);
                return out;
            }
            case 3 -> { // delete a byte
                if (in.length == 0) return in;
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                return out;
            }
            case 4 -> { // truncate
                return Arrays.copyOf(in, at);
            }
            case 5 -> { // splice: head of this, tail of another
                int cut = other.length == 0 ? 0 : position % other.length;
                byte[] out = Arrays.copyOf(in, at + other.length - cut);
                System.arraycopy(other, cut, out, at, other.length - cut);
                return out;
            }
            default -> { // repeat a chunk (deep nesting, long strings)
                int len = Math.min(16, in.length - at);
                if (len <= 0) return in;
                int times = 1 + position % 64;
                byte[] out = new byte[in.length + len * times];
                System.arraycopy(in, 0, out, 0, at);
                for (int i = 0; i < times; i++) System.arraycopy(in, at, out, at + i * len, len);
                System.arraycopy(in, at, out, at + len * times, in.length - at);
                return out;
            }
        }
    }

    private static Byte[] interesting() {
        return new Byte[] {
            '"',
            '\\',
            '{',
            '}',
            '[',
            ']',
            ':',
            ',',
            '0',
            '-',
            'e',
            '\n',
            0,
            (byte) 0x7f,
            (byte) 0x80,
            (byte) 0xc3,
            (byte) 0xff,
            '\'',
            '/',
            '+',
            '#',
            '&',
            '*'
        };
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
