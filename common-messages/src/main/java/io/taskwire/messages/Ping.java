package io.taskwire.messages;

import java.time.Instant;

/**
 * The scheduler's round-trip probe ({@link Routes#WORKER_PING}).
 *
 * @param sentAt the scheduler's clock when sent
 */
public record Ping(Instant sentAt) {

    public Ping {
        Check.required(sentAt, "sentAt");
    }
}
