package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/** {@code PAYLOAD_TOO_LARGE}: the request's data is larger than the scheduler's limit. */
public class PayloadTooLargeException extends TaskwireException {

    public PayloadTooLargeException(String message, Throwable cause) {
        super(ErrorCode.PAYLOAD_TOO_LARGE, message, cause);
    }
}
