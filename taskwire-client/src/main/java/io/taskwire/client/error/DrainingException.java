package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code DRAINING}: the receiver is draining and takes no new work. */
public class DrainingException extends TaskwireException {

    public DrainingException(String message, Throwable cause) {
        super(ErrorCode.DRAINING, message, cause);
    }
}
