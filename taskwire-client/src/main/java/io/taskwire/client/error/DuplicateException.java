package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code DUPLICATE}: the id is already in use. */
public class DuplicateException extends TaskwireException {

    public DuplicateException(String message, Throwable cause) {
        super(ErrorCode.DUPLICATE, message, cause);
    }
}
