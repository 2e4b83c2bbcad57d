package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Several assignments at once ({@link Routes#TASK_EXECUTE_BATCH}).
 *
 * @param count how many assignments the body holds; a mismatch rejects the whole batch
 * @param encoding how the body's JSON array is encoded
 * @param body base64 of the encoded JSON array of {@link TaskAssignment}
 */
public record TaskBatch(@JsonProperty(required = true) int count, Encoding encoding, String body) {

    public TaskBatch {
        Check.atLeast(count, 1, "count");
        Check.required(encoding, "encoding");
        Check.required(body, "body");
    }
}
