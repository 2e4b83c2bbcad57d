package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * SETUP data of a worker ({@link Routes#WORKER_CONNECT}).
 *
 * @param protocolVersion the protocol version the worker speaks; the scheduler refuses any other
 * @param workerId the worker's id, unique among live workers
 * @param host where the worker runs, for operators (the scheduler never dials it)
 * @param slots how many tasks it runs at once, at least 1
 * @param taskTypes the task types it handles, at least one
 * @param labels labels that {@code routing.labels} can select on; empty when absent
 * @param version the worker's software version
 * @param encodings batch encodings it accepts beyond {@code identity} and {@code gzip}; may be absent
 */
public record WorkerHello(
        @JsonProperty(required = true) int protocolVersion,
        String workerId,
        String host,
        @JsonProperty(required = true) int slots,
        List<String> taskTypes,
        Map<String, String> labels,
        String version,
        List<String> encodings) {

    /** Most slots one worker may declare. */
    public static final int MAX_SLOTS = 100_000;
    /** Most task types one worker may advertise. */
    public static final int MAX_TASK_TYPES = 256;
    /** Most labels one worker may carry. */
    public static final int MAX_LABELS = 64;

    public WorkerHello {
        Check.id(workerId, "workerId");
        Check.required(host, "host");
        Check.atLeast(slots, 1, "slots");
        if (slots > MAX_SLOTS) {
            throw new InvalidMessageException("slots", "must be at most " + MAX_SLOTS + " (was " + slots + ")");
        }
        taskTypes = Check.ids(taskTypes, "taskTypes");
        if (taskTypes.isEmpty() || taskTypes.size() > MAX_TASK_TYPES) {
            throw new InvalidMessageException("taskTypes", "must name 1 to " + MAX_TASK_TYPES + " task types, named "
                    + taskTypes.size());
        }
        labels = Check.labels(labels, "labels");
        if (labels.size() > MAX_LABELS) {
            throw new InvalidMessageException("labels", "must be at most " + MAX_LABELS + ", were " + labels.size());
        }
        Check.required(version, "version");
        encodings = encodings == null ? null : Check.list(encodings, "encodings");
    }
}
