package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every HTTP error as {@code application/problem+json} (RFC 9457) with the protocol's error code in
 * a {@code code} member and a detail naming what was wrong.
 */
@RestControllerAdvice
class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    static final Map<ErrorCode, HttpStatus> STATUS = Map.ofEntries(
            Map.entry(ErrorCode.INVALID_REQUEST, HttpStatus.BAD_REQUEST),
            Map.entry(ErrorCode.UNAUTHORIZED, HttpStatus.UNAUTHORIZED),
            Map.entry(ErrorCode.FORBIDDEN, HttpStatus.FORBIDDEN),
            Map.entry(ErrorCode.NOT_FOUND, HttpStatus.NOT_FOUND),
            Map.entry(ErrorCode.UNKNOWN_TASK_TYPE, HttpStatus.UNPROCESSABLE_ENTITY),
            Map.entry(ErrorCode.AT_CAPACITY, HttpStatus.TOO_MANY_REQUESTS),
            Map.entry(ErrorCode.DRAINING, HttpStatus.SERVICE_UNAVAILABLE),
            Map.entry(ErrorCode.DUPLICATE, HttpStatus.CONFLICT),
            Map.entry(ErrorCode.STALE_ATTEMPT, HttpStatus.CONFLICT),
            Map.entry(ErrorCode.UNSUPPORTED_VERSION, HttpStatus.BAD_REQUEST),
            Map.entry(ErrorCode.TIMEOUT, HttpStatus.GATEWAY_TIMEOUT),
            Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, HttpStatus.PAYLOAD_TOO_LARGE),
            Map.entry(ErrorCode.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE),
            Map.entry(ErrorCode.INTERNAL, HttpStatus.INTERNAL_SERVER_ERROR));

    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<ProblemDetail> protocol(ProtocolException e) {
        return problem(e.code(), e.detail());
    }

    /** A message record refused a value a controller built from the request (a query parameter, say). */
    @ExceptionHandler(InvalidMessageException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidMessageException e) {
        return problem(ErrorCode.INVALID_REQUEST, e.getMessage());
    }

    /** A standby's answer, naming the leader where it is known. */
    @ExceptionHandler(StandbyGate.NotLeader.class)
    ResponseEntity<ProblemDetail> standby(StandbyGate.NotLeader e) {
        ResponseEntity<ProblemDetail> answer = problem(ErrorCode.UNAVAILABLE, e.getMessage());
        answer.getBody().setProperty("leader", e.leader());
        return answer;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof ProtocolException protocol) {
            return protocol(protocol);
        }
        String detail = e.getCause() == null ? "the request body is missing" : Json.describe("request body", cause);
        return problem(ErrorCode.INVALID_REQUEST, detail);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        return problem(ErrorCode.INVALID_REQUEST, "parameter " + e.getName() + " has an invalid value '"
                + e.getValue() + "'");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e) {
        return problem(ErrorCode.INVALID_REQUEST, "parameter " + e.getParameterName() + " is required");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(ErrorCode.NOT_FOUND, "no resource " + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.INVALID_REQUEST,
                "method " + e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.INVALID_REQUEST,
                "content type " + e.getContentType() + " is not supported; send application/json");
    }

    /**
     * The client went away while its answer was being written (a console page closed on a live
     * stream, say): there is nobody to answer, and nothing went wrong here. The response parameter
     * tells Spring the request is handled.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e, HttpServletResponse response) {
        log.debug("The client went away: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected failure in the HTTP API", e);
        return problem(ErrorCode.INTERNAL, "internal error; see the scheduler's log");
    }

    /**
     * @param status an HTTP status the servlet container or Spring chose, not one of the API's own errors
     * @return the protocol's code for it: the one {@link #STATUS} maps to it where that is unambiguous,
     *         otherwise {@code INTERNAL} for a server error and {@code INVALID_REQUEST} for the rest
     */
    static ErrorCode codeOf(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 413, 431 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 429 -> ErrorCode.AT_CAPACITY;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 504 -> ErrorCode.TIMEOUT;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        };
    }

    /** @return the status's reason phrase, or "status N" for one HTTP does not name */
    static String reasonOf(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "status " + status : known.getReasonPhrase();
    }

    static ResponseEntity<ProblemDetail> problem(ErrorCode code, String detail) {
        return problem(STATUS.get(code), code, detail);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(code.name());
        problem.setProperty("code", code.name());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
