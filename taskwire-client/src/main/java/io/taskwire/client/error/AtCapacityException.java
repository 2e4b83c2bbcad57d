package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code AT_CAPACITY}: the scheduler is full; try again later. */
public class AtCapacityException extends TaskwireException {

    public AtCapacityException(String message, Throwable cause) {
        super(ErrorCode.AT_CAPACITY, message, cause);
    }
}
