package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings the scheduler pushes to a worker right after accepting it ({@link Routes#WORKER_CONFIG}).
 *
 * @param heartbeatIntervalMs how often the worker sends {@link WorkerHeartbeat}
 * @param slots how many tasks the scheduler will give it at once
 */
public record WorkerConfig(
        @JsonProperty(required = true) long heartbeatIntervalMs,
        @JsonProperty(required = true) int slots) {

    public WorkerConfig {
        Check.atLeast(heartbeatIntervalMs, 100, "heartbeatIntervalMs");
        Check.atLeast(slots, 1, "slots");
    }
}
