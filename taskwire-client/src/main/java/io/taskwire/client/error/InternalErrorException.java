package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code INTERNAL}: a fault of the scheduler; its log has the details. */
public class InternalErrorException extends TaskwireException {

    public InternalErrorException(String message, Throwable cause) {
        super(ErrorCode.INTERNAL, message, cause);
    }
}
