package io.taskwire.messages;

/** The error codes of PROTOCOL.md section 2, carried in {@link ErrorBody#code()}. */
public enum ErrorCode {
    /** The request is malformed or breaks a rule of the protocol; the message names what. */
    INVALID_REQUEST,
    /** Bad or missing credentials. */
    UNAUTHORIZED,
    /** A route of the other role, or an action the caller may not take. */
    FORBIDDEN,
    /** An unknown route, task or worker. */
    NOT_FOUND,
    /** No worker has ever advertised the task type and it is not declared. */
    UNKNOWN_TASK_TYPE,
    /** The receiver is full (slots, queue). */
    AT_CAPACITY,
    /** The worker is draining and takes no new work. */
    DRAINING,
    /** The id is already in use (a live worker session). */
    DUPLICATE,
    /** The message refers to an attempt that is no longer current. */
    STALE_ATTEMPT,
    /** The SETUP declared a protocol version this peer does not speak. */
    UNSUPPORTED_VERSION,
    /** The operation did not finish in time. */
    TIMEOUT,
    /** The request data is larger than the limit. */
    PAYLOAD_TOO_LARGE,
    /** This scheduler cannot serve now: it is a standby, or its store cannot be reached. */
    UNAVAILABLE,
    /** A fault of the receiver; details are in its log. */
    INTERNAL;

    /**
     * Reads a code from the wire, tolerating codes added by a newer peer.
     *
     * @param code the code string
     * @return the matching constant, or {@link #INTERNAL} for an unknown or missing code
     */
    public static ErrorCode fromWire(String code) {
        if (code != null) {
            for (ErrorCode value : values()) {
                if (value.name().equals(code)) {
                    return value;
                }
            }
        }
        return INTERNAL;
    }
}
