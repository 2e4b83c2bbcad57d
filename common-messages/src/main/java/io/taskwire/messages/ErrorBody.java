package io.taskwire.messages;

/**
 * The JSON message of an ERROR frame ({@code APPLICATION_ERROR} or {@code REJECTED_SETUP}).
 *
 * @param code one of {@link ErrorCode}, as a string so that codes of newer peers still decode
 * @param message a human-readable explanation naming what was wrong
 */
public record ErrorBody(String code, String message) {

    public ErrorBody {
        Check.required(code, "code");
        message = message == null ? "" : message;
    }

    /** @return the code as an enum constant ({@link ErrorCode#INTERNAL} when unknown) */
    public ErrorCode errorCode() {
        return ErrorCode.fromWire(code);
    }
}
