package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings the scheduler pushes to a worker ({@link Routes#WORKER_CONFIG}): right after accepting it,
 * which tells the worker it is registered, and again whenever its drain changes.
 *
 * @param heartbeatIntervalMs how often the worker sends {@link WorkerHeartbeat}
 * @param slots how many tasks the scheduler will give it at once; the worker applies it
 * @param draining whether the scheduler sends this worker nothing new; {@code false} when absent
 */
public record WorkerConfig(
        @JsonProperty(required = true) long heartbeatIntervalMs,
        @JsonProperty(required = true) int slots,
        Boolean draining) {

    public WorkerConfig {
        Check.atLeast(heartbeatIntervalMs, 100, "heartbeatIntervalMs");
        Check.atLeast(slots, 1, "slots");
        draining = Boolean.TRUE.equals(draining);
    }

    /**
     * The settings of a worker that is not draining.
     *
     * @param heartbeatIntervalMs how often the worker heartbeats
     * @param slots how many tasks the scheduler will give it at once
     */
    public WorkerConfig(long heartbeatIntervalMs, int slots) {
        this(heartbeatIntervalMs, slots, false);
    }
}
