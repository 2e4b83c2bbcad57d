package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/**
 * {@code UNAVAILABLE}: no scheduler could serve the request in time. Every address was a standby,
 * refused the connection or could not reach its store; or the connection was lost after a request
 * that cannot safely be sent twice had gone out.
 */
public class UnavailableException extends TaskwireException {

    public UnavailableException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}
