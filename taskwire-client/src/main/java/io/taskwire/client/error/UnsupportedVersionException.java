package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code UNSUPPORTED_VERSION}: the scheduler speaks another protocol version. */
public class UnsupportedVersionException extends TaskwireException {

    public UnsupportedVersionException(String message, Throwable cause) {
        super(ErrorCode.UNSUPPORTED_VERSION, message, cause);
    }
}
