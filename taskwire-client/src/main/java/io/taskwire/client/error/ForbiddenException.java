package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code FORBIDDEN}: the token is valid but of another role (a worker's token on a client connection). */
public class ForbiddenException extends TaskwireException {

    public ForbiddenException(String message, Throwable cause) {
        super(ErrorCode.FORBIDDEN, message, cause);
    }
}
