package aurora.edge.gateway.ops;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A request's query string as parameters: the first value of each name, decoded; bounded, as anything from a client is. */
final class QueryString {
    static final int MAX_PARAMS = 16;

    private QueryString() {}

    /** @throws IllegalArgumentException when there are more than {@link #MAX_PARAMS} parameters or one is not decodable */
    static Map<String, String> parse(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        String[] pairs = raw.split("&", MAX_PARAMS + 2);
        if (pairs.length > MAX_PARAMS) {
            throw new IllegalArgumentException("at most " + MAX_PARAMS + " query parameters, found more");
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }
}
