package aurora.edge.gateway.config;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Masks credentials embedded in URLs ({@code redis://:pw@host}, {@code nats://user:pw@host}) before they reach a log. */
public final class Secrets {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");

    private Secrets() {}

    /** A null text (a library's missing error text) reads "null", as it would in the log line. */
    public static String maskUserInfo(@Nullable String text) {
        return text == null ? "null" : USER_INFO.matcher(text).replaceAll("****@");
    }
}
