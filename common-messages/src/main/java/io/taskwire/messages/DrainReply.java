package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The scheduler's answer to {@link DrainRequest}.
 *
 * @param workerId the worker
 * @param inFlight attempts the scheduler still expects results for from it
 */
public record DrainReply(String workerId, @JsonProperty(required = true) int inFlight) {

    public DrainReply {
        Check.id(workerId, "workerId");
        Check.atLeast(inFlight, 0, "inFlight");
    }
}
