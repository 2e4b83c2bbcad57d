package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.Encoding;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** How the assignments for one worker are split into requests that fit the payload limit, and encoded. */
class BatchEncoderTest {

    private static final int LIMIT = 16 * 1024;
    private final BatchEncoder encoder = new BatchEncoder(
            new DispatchProperties.Batch(256, DataSize.ofKilobytes(1), Encoding.ZSTD), LIMIT);

    @Test
    void batchesThatWouldPassThePayloadLimitAreSplitAndEachRoundTrips() {
        List<TaskAssignment> assignments = assignments(40, 1000);

        List<BatchEncoder.Request> requests = encoder.requests(assignments, false);

        assertThat(requests).hasSizeGreaterThan(1);
        List<TaskAssignment> decoded = new ArrayList<>();
        int next = 0;
        for (BatchEncoder.Request request : requests) {
            assertThat(request.from()).isEqualTo(next);
            assertThat(request.batch()).isNotNull();
            assertThat(Json.write(request.batch()).length()).as("the request's data").isLessThanOrEqualTo(LIMIT);
            decoded.addAll(TaskBatches.decode(request.batch(), LIMIT));
            next = request.to();
        }
        assertThat(decoded).isEqualTo(assignments);
    }

    @Test
    void assignmentTooLargeToBatchGoesAlone() {
        List<TaskAssignment> assignments = new ArrayList<>(assignments(2, 100));
        assignments.add(1, assignments(1, 12_000).get(0));

        List<BatchEncoder.Request> requests = encoder.requests(assignments, true);

        assertThat(requests).extracting(BatchEncoder.Request::from).containsExactly(0, 1, 2);
        assertThat(requests).allSatisfy(request -> assertThat(request.batch()).as("a batch of one").isNull());
    }

    @Test
    void encodingFollowsTheThresholdAndWhatTheWorkerAdvertised() {
        assertThat(encoder.encoding(512, true)).isEqualTo(Encoding.IDENTITY);
        assertThat(encoder.encoding(4096, true)).isEqualTo(Encoding.ZSTD);
        assertThat(encoder.encoding(4096, false)).isEqualTo(Encoding.GZIP);
    }

    private static List<TaskAssignment> assignments(int count, int textLength) {
        Instant deadline = Instant.parse("2026-11-24T10:15:30Z");
        return IntStream.range(0, count).mapToObj(i -> new TaskAssignment("t-" + i + "-" + textLength, 1, "echo",
                Json.mapper().createObjectNode().put("n", i).put("text", "y".repeat(textLength)), deadline,
                "e:" + i)).toList();
    }
}
