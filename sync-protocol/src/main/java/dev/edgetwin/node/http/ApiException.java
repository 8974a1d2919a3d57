package dev.edgetwin.node.http;

import dev.edgetwin.log.model.TwinError;

/**
 * A request the API refuses, as a value that travels through a failed future to the
 * {@link ProblemHandler}: the HTTP status, the stable code and a detail for humans. Nothing was
 * changed when one is thrown.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    ApiException(int status, String code, String detail) {
        super(detail, null, false, false); // a refusal, not a bug: no stack trace to fill
        this.status = status;
        this.code = code;
    }

    static ApiException of(TwinError error) {
        return new ApiException(error.status(), error.code(), error.message());
    }

    static ApiException badParam(String name, String detail) {
        return new ApiException(400, Problem.PARAM_INVALID, "query parameter '" + name + "': " + detail);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }
}
