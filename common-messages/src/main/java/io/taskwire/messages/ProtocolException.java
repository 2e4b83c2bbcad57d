package io.taskwire.messages;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * An error the protocol defines (PROTOCOL.md section 2).
 *
 * <p>{@link #getMessage()} is the JSON of {@link ErrorBody}, so that an RSocket peer sending this
 * exception as an ERROR frame puts exactly what the protocol requires on the wire.
 */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String detail;

    public ProtocolException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public ProtocolException(ErrorCode code, String detail, Throwable cause) {
        super(Json.write(new ErrorBody(code.name(), detail)), cause, false, false);
        this.code = code;
        this.detail = detail;
    }

    /** @return the error code */
    public ErrorCode code() {
        return code;
    }

    /** @return the human-readable part, without the JSON wrapping */
    public String detail() {
        return detail;
    }

    /** @return the wire body of this error */
    public ErrorBody body() {
        return new ErrorBody(code.name(), detail);
    }

    /**
     * Reads the JSON message of an ERROR frame received from a peer.
     *
     * @param frameMessage the ERROR frame's message
     * @return the error; a message that is not the protocol's JSON becomes {@link ErrorCode#INTERNAL}
     *         carrying the raw text
     */
    public static ProtocolException fromWire(String frameMessage) {
        if (frameMessage != null && frameMessage.startsWith("{")) {
            try {
                ErrorBody body = Json.mapper().readValue(frameMessage, ErrorBody.class);
                return new ProtocolException(body.errorCode(), body.message());
            } catch (JsonProcessingException | IllegalArgumentException notJson) {
                // fall through: keep the raw text
            }
        }
        return new ProtocolException(ErrorCode.INTERNAL, String.valueOf(frameMessage));
    }
}
