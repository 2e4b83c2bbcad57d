package io.taskwire.scheduler.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.taskwire.messages.Encoding;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskBatches;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the assignments for one worker into requests that fit the payload limit, and encodes each
 * batch as the settings and the worker allow: small batches as {@code identity} (compressing them
 * costs more CPU than it saves), larger ones in the preferred encoding, zstd only for a worker that
 * advertised it. Each assignment is written to JSON once, and measured as it is written.
 */
final class BatchEncoder {

    private static final ObjectWriter ASSIGNMENT = Json.mapper().writerFor(TaskAssignment.class);

    private final DispatchProperties.Batch settings;
    private final int maxArrayBytes;

    /**
     * @param maxPayloadBytes the limit on a request's data; a batch's decoded array stays within it,
     *        and so does its base64 body in any encoding (base64 adds a third, the message 1 KiB)
     */
    BatchEncoder(DispatchProperties.Batch settings, int maxPayloadBytes) {
        this.settings = settings;
        this.maxArrayBytes = (maxPayloadBytes - 1024) / 4 * 3 - 1024;
    }

    /**
     * @param assignments in the order they should run
     * @param zstdAdvertised whether the worker's hello lists zstd
     * @return requests covering the assignments in order; one that carries a single assignment has
     *         no batch and goes by {@code task.execute}
     */
    List<Request> requests(List<TaskAssignment> assignments, boolean zstdAdvertised) {
        List<Request> requests = new ArrayList<>();
        ByteArrayOutputStream array = new ByteArrayOutputStream(8 * 1024);
        int from = 0;
        for (int i = 0; i < assignments.size(); i++) {
            byte[] json = write(assignments.get(i));
            if (i > from && array.size() + json.length + 2 > maxArrayBytes) {
                requests.add(request(array, from, i, zstdAdvertised));
                array.reset();
                from = i;
            }
            array.write(array.size() == 0 ? '[' : ',');
            array.writeBytes(json);
        }
        if (from < assignments.size()) {
            requests.add(request(array, from, assignments.size(), zstdAdvertised));
        }
        return requests;
    }

    private Request request(ByteArrayOutputStream array, int from, int to, boolean zstdAdvertised) {
        if (to - from == 1 || array.size() + 1 > maxArrayBytes) {
            // alone, or too large to batch at all: it goes by task.execute, which takes any valid payload
            return new Request(from, to, null);
        }
        array.write(']');
        byte[] json = array.toByteArray();
        return new Request(from, to, TaskBatches.encodeArray(json, to - from, encoding(json.length, zstdAdvertised)));
    }

    /** The encoding for a batch whose JSON array takes {@code size} bytes. */
    Encoding encoding(int size, boolean zstdAdvertised) {
        if (size < settings.compressionThreshold().toBytes() || settings.encoding() == Encoding.IDENTITY) {
            return Encoding.IDENTITY;
        }
        if (settings.encoding() == Encoding.ZSTD && zstdAdvertised && TaskBatches.zstdAvailable()) {
            return Encoding.ZSTD;
        }
        return Encoding.GZIP;
    }

    private static byte[] write(TaskAssignment assignment) {
        try {
            return ASSIGNMENT.writeValueAsBytes(assignment);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write an assignment as JSON", e);
        }
    }

    /**
     * Assignments {@code from} (inclusive) to {@code to} (exclusive) in one request.
     *
     * @param batch their batch, or null when the request is one {@code task.execute}
     */
    record Request(int from, int to, TaskBatch batch) {
    }
}
