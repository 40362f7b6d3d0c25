package aurora.edge.attestation;

import java.util.Objects;

/**
 * What every front door of the library returns for untrusted input: either the value, or a
 * {@link Problem} from the closed catalog with a detail that names the field and the bad value.
 * Malformed input is an expected outcome, so it is a return value and never an exception.
 */
public sealed interface Result<T> permits Result.Ok, Result.Failed {

    static <T> Result<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Result<T> failed(Problem problem, String detail) {
        return new Failed<>(problem, detail);
    }

    /** Converts the exception the parsers use internally to short-circuit into a result. */
    static <T> Result<T> failed(ProblemException e) {
        return new Failed<>(e.problem(), e.detail());
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; throws {@link IllegalStateException} naming the problem if this failed. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        Failed<T> failed = (Failed<T>) this;
        throw new IllegalStateException(failed.problem().code() + ": " + failed.detail());
    }

    record Ok<T>(T value) implements Result<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Failed<T>(Problem problem, String detail) implements Result<T> {
        public Failed {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return problem.code() + ": " + detail;
        }
    }
}
