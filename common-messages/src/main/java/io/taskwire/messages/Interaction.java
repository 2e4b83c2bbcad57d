package io.taskwire.messages;

/** The RSocket interaction a route uses (PROTOCOL.md section 3, column "mode"). */
public enum Interaction {
    /** The connection's SETUP frame. */
    SETUP,
    /** Request-response. */
    REQUEST_RESPONSE,
    /** Fire-and-forget. */
    FIRE_AND_FORGET,
    /** Request-stream. */
    REQUEST_STREAM
}
