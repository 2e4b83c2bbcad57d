package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an attempt or a task did not succeed.
 *
 * @param code a code of {@link ErrorCode}, or one a handler chose
 * @param message what happened
 * @param retryable whether another attempt may succeed
 */
public record TaskError(String code, String message, @JsonProperty(required = true) boolean retryable) {

    public TaskError {
        Check.required(code, "code");
        message = message == null ? "" : message;
    }

    /**
     * @param code the protocol code
     * @param message what happened
     * @param retryable whether another attempt may succeed
     * @return the error
     */
    public static TaskError of(ErrorCode code, String message, boolean retryable) {
        return new TaskError(code.name(), message, retryable);
    }
}
