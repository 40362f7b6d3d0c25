package aurora.edge.attestation;

import java.util.Objects;

/**
 * Used inside the library's parsers to stop at the first problem. Front doors catch it and return
 * {@link Result#failed(ProblemException)}; it never escapes a public method that returns a
 * {@link Result}. No stack trace: it is an expected outcome, and it is thrown often by fuzzers.
 */
public final class ProblemException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Problem problem;
    private final String detail;

    public ProblemException(Problem problem, String detail) {
        super(problem.code() + ": " + detail, null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** Quotes a bad value for a detail message, shortened so a huge input cannot flood a log. */
    public static String quote(String value) {
        String shown = value.length() <= 80 ? value : value.substring(0, 77) + "...";
        return '"' + shown + '"';
    }

    /** The message of a caught library exception for a detail; its class name when it has none. */
    public static String messageOf(Exception e) {
        String message = e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }

    public Problem problem() {
        return problem;
    }

    public String detail() {
        return detail;
    }
}
