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
 * @param running attempts it still runs or holds undelivered results for, at most {@value #MAX_RUNNING},
 *        for the scheduler to re-attach (PROTOCOL.md section 5); empty when absent
 */
public record WorkerHello(
        @JsonProperty(required = true) int protocolVersion,
        String workerId,
        String host,
        @JsonProperty(required = true) int slots,
        List<String> taskTypes,
        Map<String, String> labels,
        String version,
        List<String> encodings,
        List<RunningAttempt> running) {

    /** Most slots one worker may declare. */
    public static final int MAX_SLOTS = 100_000;
    /** Most task types one worker may advertise. */
    public static final int MAX_TASK_TYPES = 256;
    /** Most labels one worker may carry. */
    public static final int MAX_LABELS = 64;
    /**
     * Most attempts one hello lists: the hello is a SETUP frame, which the scheduler takes up to
     * 64 KiB of by default, and an entry is about 100 bytes.
     */
    public static final int MAX_RUNNING = 400;

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
        running = running == null ? List.of() : Check.list(running, "running");
        if (running.size() > MAX_RUNNING) {
            throw new InvalidMessageException("running", "must list at most " + MAX_RUNNING + " attempts, listed "
                    + running.size());
        }
    }

    /** A hello from a worker that lists no attempts (one just started, or one older than reattachment). */
    public WorkerHello(int protocolVersion, String workerId, String host, int slots, List<String> taskTypes,
                       Map<String, String> labels, String version, List<String> encodings) {
        this(protocolVersion, workerId, host, slots, taskTypes, labels, version, encodings, List.of());
    }

    /** @return this hello listing these attempts, the first {@value #MAX_RUNNING} of them */
    public WorkerHello withRunning(List<RunningAttempt> attempts) {
        List<RunningAttempt> listed = attempts.size() > MAX_RUNNING ? attempts.subList(0, MAX_RUNNING) : attempts;
        return new WorkerHello(protocolVersion, workerId, host, slots, taskTypes, labels, version, encodings,
                List.copyOf(listed));
    }
}
