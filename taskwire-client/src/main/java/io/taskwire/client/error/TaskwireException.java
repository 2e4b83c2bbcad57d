package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/**
 * A request the scheduler refused, or that could not reach it: the protocol's error code
 * (PROTOCOL.md section 2) and the scheduler's message. Each code has its own subtype, so that a
 * caller catches what it can handle: {@link UnknownTaskTypeException}, {@link UnavailableException},
 * {@link TaskTimeoutException} and so on.
 */
public class TaskwireException extends RuntimeException {

    private final ErrorCode code;

    protected TaskwireException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** @return the protocol's error code */
    public ErrorCode code() {
        return code;
    }

    /**
     * @param code the error code the scheduler answered with
     * @param message its message
     * @param cause what carried it, or null
     * @return the exception of the code's type
     */
    public static TaskwireException of(ErrorCode code, String message, Throwable cause) {
        return switch (code) {
            case INVALID_REQUEST -> new InvalidRequestException(message, null, cause);
            case UNAUTHORIZED -> new UnauthorizedException(message, cause);
            case FORBIDDEN -> new ForbiddenException(message, cause);
            case NOT_FOUND -> new NotFoundException(message, cause);
            case UNKNOWN_TASK_TYPE -> new UnknownTaskTypeException(message, cause);
            case AT_CAPACITY -> new AtCapacityException(message, cause);
            case DRAINING -> new DrainingException(message, cause);
            case DUPLICATE -> new DuplicateException(message, cause);
            case STALE_ATTEMPT -> new StaleAttemptException(message, cause);
            case UNSUPPORTED_VERSION -> new UnsupportedVersionException(message, cause);
            case TIMEOUT -> new TaskTimeoutException(message, null, cause);
            case PAYLOAD_TOO_LARGE -> new PayloadTooLargeException(message, cause);
            case UNAVAILABLE -> new UnavailableException(message, cause);
            case INTERNAL -> new InternalErrorException(message, cause);
        };
    }
}
