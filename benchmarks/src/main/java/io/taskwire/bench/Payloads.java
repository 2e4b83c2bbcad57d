package io.taskwire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The one payload every candidate carries: a {@code TaskAssignment} out, a {@code TaskResult} back. */
public final class Payloads {

    public static final String TASK_TYPE = "echo";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Payloads() {
    }

    /** @return a small business-like payload, different for each {@code n} as real tasks are */
    public static JsonNode payload(long n) {
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("orderId", "order-" + n);
        payload.put("customer", "customer-" + (n % 997));
        payload.put("amount", (n % 10_000) * 1.07);
        payload.put("currency", "EUR");
        payload.put("note", "invoice for order " + n);
        return payload;
    }

    /** @return a fresh assignment with a unique task id, as the scheduler sends */
    static TaskAssignment assignment() {
        long n = SEQUENCE.incrementAndGet();
        return new TaskAssignment("task-" + n, 1, TASK_TYPE, payload(n),
                Instant.now().plus(Duration.ofMinutes(5)), "1:" + n);
    }

    /** @return a cancel for a task the receiver does not run, the same bytes for every candidate */
    static TaskCancel cancel() {
        return new TaskCancel("task-" + SEQUENCE.incrementAndGet(), 1, "benchmark");
    }

    /** @return what the echo handler answers, built the way the baselines build it */
    static TaskResult echo(TaskAssignment assignment, String workerId) {
        Instant now = Instant.now();
        return new TaskResult(assignment.taskId(), assignment.attempt(), workerId, assignment.fence(),
                Outcome.SUCCEEDED, assignment.payload(), null, now, now);
    }
}
