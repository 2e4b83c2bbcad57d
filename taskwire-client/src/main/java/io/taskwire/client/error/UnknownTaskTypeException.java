package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code UNKNOWN_TASK_TYPE}: no worker has advertised the task's type, and the operator did not declare it. */
public class UnknownTaskTypeException extends TaskwireException {

    public UnknownTaskTypeException(String message, Throwable cause) {
        super(ErrorCode.UNKNOWN_TASK_TYPE, message, cause);
    }
}
