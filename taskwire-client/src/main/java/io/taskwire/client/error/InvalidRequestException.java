package io.taskwire.client.error;

import io.taskwire.messages.ErrorCode;

/**
 * {@code INVALID_REQUEST}: the request breaks a rule of the protocol. The client checks what it
 * can before sending anything; then {@link #field()} names the offending field.
 */
public class InvalidRequestException extends TaskwireException {

    private final String field;

    public InvalidRequestException(String message, String field, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message, cause);
        this.field = field;
    }

    /** @return the offending field as the protocol names it, when the client found it; null otherwise */
    public String field() {
        return field;
    }
}
