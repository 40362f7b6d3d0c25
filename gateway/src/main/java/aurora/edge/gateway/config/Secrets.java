package aurora.edge.gateway.config;

import java.util.regex.Pattern;

/** Masks credentials embedded in URLs ({@code redis://:pw@host}, {@code nats://user:pw@host}) before they reach a log. */
public final class Secrets {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");

    private Secrets() {}

    public static String maskUserInfo(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("****@");
    }
}
