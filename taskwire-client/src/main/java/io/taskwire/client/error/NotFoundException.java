package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code NOT_FOUND}: no such task (or route) on the scheduler. */
public class NotFoundException extends TaskwireException {

    public NotFoundException(String message, Throwable cause) {
        super(ErrorCode.NOT_FOUND, message, cause);
    }
}
