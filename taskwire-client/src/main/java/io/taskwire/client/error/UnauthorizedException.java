package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code UNAUTHORIZED}: the token is missing, wrong, or the signature does not verify. */
public class UnauthorizedException extends TaskwireException {

    public UnauthorizedException(String message, Throwable cause) {
        super(ErrorCode.UNAUTHORIZED, message, cause);
    }
}
