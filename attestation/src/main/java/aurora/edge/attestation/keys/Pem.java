package aurora.edge.attestation.keys;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;
import java.util.Base64;
import java.util.Set;

/** Minimal RFC 7468 PEM: one block, label checked, strict base64 body. */
final class Pem {
    private static final int MAX_PEM_CHARS = 16 * 1024;

    private Pem() {}

    record Block(String label, byte[] der) {}

    static Block decode(String text, Set<String> labels) throws ProblemException {
        if (text.length() > MAX_PEM_CHARS) {
            throw new ProblemException(
                    Problem.KEY_MALFORMED, "pem must be <= " + MAX_PEM_CHARS + " characters, found " + text.length());
        }
        int begin = text.indexOf("-----BEGIN ");
        int labelEnd = begin < 0 ? -1 : text.indexOf("-----", begin + 11);
        if (labelEnd < 0) {
            throw new ProblemException(Problem.KEY_MALFORMED, "pem has no -----BEGIN line");
        }
        String label = text.substring(begin + 11, labelEnd);
        if (!labels.contains(label)) {
            throw new ProblemException(
                    Problem.KEY_UNSUPPORTED,
                    "pem label must be one of " + labels + ", found " + ProblemException.quote(label));
        }
        String endLine = "-----END " + label + "-----";
        int end = text.indexOf(endLine, labelEnd);
        if (end < 0) {
            throw new ProblemException(Problem.KEY_MALFORMED, "pem has no " + endLine + " line");
        }
        String body = text.substring(labelEnd + 5, end).replaceAll("\\s", "");
        try {
            return new Block(label, Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.KEY_MALFORMED, "pem body is not base64: " + e.getMessage());
        }
    }

    static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
