package io.taskwire.messages;

import java.time.Instant;

/**
 * A worker's answer to {@link Ping}.
 *
 * @param sentAt the ping's {@code sentAt}, echoed
 * @param receivedAt the worker's clock when it got the ping
 */
public record Pong(Instant sentAt, Instant receivedAt) {

    public Pong {
        Check.required(sentAt, "sentAt");
        Check.required(receivedAt, "receivedAt");
    }
}
