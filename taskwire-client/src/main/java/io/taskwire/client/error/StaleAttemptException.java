package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code STALE_ATTEMPT}: the message names an attempt that is no longer current. */
public class StaleAttemptException extends TaskwireException {

    public StaleAttemptException(String message, Throwable cause) {
        super(ErrorCode.STALE_ATTEMPT, message, cause);
    }
}
