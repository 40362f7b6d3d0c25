package aurora.edge.attestation.mcuboot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MCUboot {@code struct image_version}: {@code major.minor.revision+build}. MCUboot orders images by
 * major.minor.revision only (unless BOOT_VERSION_CMP_USE_BUILD_NUMBER), so {@link #compareTo}
 * ignores the build number and treats it as metadata.
 */
public record ImageVersion(int major, int minor, int revision, long build) implements Comparable<ImageVersion> {
    private static final Pattern FORMAT = Pattern.compile(
            "(0|[1-9]\\d{0,2})(?:\\.(0|[1-9]\\d{0,2})(?:\\.(0|[1-9]\\d{0,4})(?:\\+(0|[1-9]\\d{0,9}))?)?)?");

    public ImageVersion {
        check("major", major, 0xff);
        check("minor", minor, 0xff);
        check("revision", revision, 0xffff);
        check("build", build, 0xffff_ffffL);
    }

    /**
     * Parses imgtool's syntax ({@code 1}, {@code 1.2}, {@code 1.2.3}, {@code 1.2.3+4}); no leading
     * zeros, so each version has one spelling.
     */
    public static ImageVersion parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("version must look like maj.min.rev+build, found \""
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"");
        }
        return new ImageVersion(
                Integer.parseInt(m.group(1)),
                group(m, 2),
                group(m, 3),
                m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
    }

    /** imgtool's {@code -s auto} security counter: {@code major << 24 | minor << 16 | revision}. */
    public long autoSecurityCounter() {
        return ((long) major << 24) | ((long) minor << 16) | revision;
    }

    @Override
    public int compareTo(ImageVersion other) {
        return Long.compare(autoSecurityCounter(), other.autoSecurityCounter());
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + revision + (build == 0 ? "" : "+" + build);
    }

    private static int group(Matcher m, int group) {
        return m.group(group) == null ? 0 : Integer.parseInt(m.group(group));
    }

    private static void check(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be in [0, " + max + "], found " + value);
        }
    }
}
