package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A worker's periodic load report ({@link Routes#WORKER_HEARTBEAT}, fire-and-forget).
 *
 * @param workerId the sending worker; must be the worker of the connection
 * @param seq increasing sequence number, for spotting gaps
 * @param sentAt the worker's clock when sent (informational: liveness uses the scheduler's clock)
 * @param running tasks running now
 * @param freeSlots slots free now
 * @param cpuLoad process CPU load, 0 to 1 (negative when unknown)
 * @param heapUsedBytes heap in use
 * @param heapMaxBytes heap limit
 */
public record WorkerHeartbeat(
        String workerId,
        @JsonProperty(required = true) long seq,
        Instant sentAt,
        @JsonProperty(required = true) int running,
        @JsonProperty(required = true) int freeSlots,
        @JsonProperty(required = true) double cpuLoad,
        @JsonProperty(required = true) long heapUsedBytes,
        @JsonProperty(required = true) long heapMaxBytes) {

    public WorkerHeartbeat {
        Check.id(workerId, "workerId");
        Check.required(sentAt, "sentAt");
        Check.atLeast(running, 0, "running");
        Check.atLeast(freeSlots, 0, "freeSlots");
    }
}
