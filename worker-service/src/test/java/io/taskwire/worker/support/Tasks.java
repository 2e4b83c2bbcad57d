package io.taskwire.worker.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Assignments as a scheduler would send them. */
public final class Tasks {

    private static final AtomicLong DISPATCHES = new AtomicLong();

    private Tasks() {
    }

    /** Attempt 1 of a new task whose deadline is {@code deadlineIn} from now. */
    public static TaskAssignment assignment(String type, String payloadJson, Duration deadlineIn) {
        return assignment("t-" + UUID.randomUUID(), 1, type, payloadJson, deadlineIn);
    }

    /** The given attempt of a task whose deadline is {@code deadlineIn} from now. */
    public static TaskAssignment assignment(String taskId, int attempt, String type, String payloadJson,
                                            Duration deadlineIn) {
        return new TaskAssignment(taskId, attempt, type, json(payloadJson), Instant.now().plus(deadlineIn),
                "7:" + DISPATCHES.incrementAndGet());
    }

    /** An echo task with a generous deadline. */
    public static TaskAssignment echo(String payloadJson) {
        return assignment("echo", payloadJson, Duration.ofSeconds(30));
    }

    /** A sleep task of {@code ms} milliseconds with a generous deadline. */
    public static TaskAssignment sleep(long ms) {
        return assignment("sleep", "{\"ms\":" + ms + "}", Duration.ofSeconds(30));
    }

    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
