package io.taskwire.messages;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The batch codec: every encoding round-trips, and a bad batch is refused whole, naming what was wrong. */
class TaskBatchesTest {

    private static final int LIMIT = Protocol.DEFAULT_MAX_PAYLOAD_BYTES;

    @Test
    void zstdLoadsOnThisPlatform() {
        assertThat(TaskBatches.zstdAvailable()).as("zstd-jni's native library loads").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void everyEncodingRoundTrips(Encoding encoding) {
        List<TaskAssignment> assignments = assignments(300);

        TaskBatch batch = TaskBatches.encode(assignments, encoding);
        TaskBatch received = Json.read(Json.write(batch).getBytes(UTF_8), TaskBatch.class);

        assertThat(received.encoding()).isEqualTo(encoding);
        assertThat(received.count()).isEqualTo(300);
        assertThat(TaskBatches.decode(received, LIMIT)).isEqualTo(assignments);
    }

    @Test
    void compressionShrinksABatchOfSimilarTasks() {
        List<TaskAssignment> assignments = assignments(300);
        int identity = TaskBatches.encode(assignments, Encoding.IDENTITY).body().length();

        assertThat(TaskBatches.encode(assignments, Encoding.GZIP).body().length()).isLessThan(identity / 3);
        assertThat(TaskBatches.encode(assignments, Encoding.ZSTD).body().length()).isLessThan(identity / 3);
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void countThatDoesNotMatchTheBodyRejectsTheWholeBatch(Encoding encoding) {
        TaskBatch honest = TaskBatches.encode(assignments(3), encoding);
        TaskBatch lying = new TaskBatch(4, encoding, honest.body());

        assertInvalid(lying, "count is 4 but the body holds 3 assignments");
    }

    @Test
    void unknownEncodingIsRefusedNamingTheField() {
        String json = "{\"count\":1,\"encoding\":\"brotli\",\"body\":\"W10=\"}";

        ProtocolException refused = catchThrowableOfType(ProtocolException.class,
                () -> Json.read(json.getBytes(UTF_8), TaskBatch.class));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refused.detail()).contains("encoding").contains("brotli");
    }

    @Test
    void bodyThatIsNotBase64IsRefused() {
        assertInvalid(new TaskBatch(1, Encoding.IDENTITY, "not base64!"), "body is not valid base64");
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"GZIP", "ZSTD"})
    void bodyThatDoesNotDecompressIsRefused(Encoding encoding) {
        String garbage = Base64.getEncoder().encodeToString("[{\"plain\":\"json\"}]".getBytes(UTF_8));

        assertInvalid(new TaskBatch(1, encoding, garbage), "body does not decode as " + encoding.wireName());
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"GZIP", "ZSTD"})
    void truncatedCompressedBodyIsRefused(Encoding encoding) {
        byte[] whole = Base64.getDecoder().decode(TaskBatches.encode(assignments(50), encoding).body());
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(whole, whole.length / 2));

        ProtocolException refused = catchThrowableOfType(ProtocolException.class,
                () -> TaskBatches.decode(new TaskBatch(50, encoding, truncated), LIMIT));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void bodyThatIsNotAnArrayOfAssignmentsIsRefusedNamingTheField() {
        String body = Base64.getEncoder().encodeToString("[{\"taskId\":\"t\"}]".getBytes(UTF_8));

        assertInvalid(new TaskBatch(1, Encoding.IDENTITY, body), "TaskBatch body");
        assertInvalid(new TaskBatch(1, Encoding.IDENTITY, Base64.getEncoder().encodeToString("[null]".getBytes(UTF_8))),
                "body[0] must be a TaskAssignment object");
        assertInvalid(new TaskBatch(1, Encoding.IDENTITY, Base64.getEncoder().encodeToString("{}".getBytes(UTF_8))),
                "TaskBatch body");
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"GZIP", "ZSTD"})
    void decompressionBombIsRefusedAtTheLimit(Encoding encoding) throws IOException {
        // 64 MiB of spaces is valid JSON whitespace and compresses to a few kilobytes
        byte[] bomb = new byte[64 * 1024 * 1024];
        Arrays.fill(bomb, (byte) ' ');
        byte[] compressed = encoding == Encoding.GZIP ? gzip(bomb) : com.github.luben.zstd.Zstd.compress(bomb, 1);
        assertThat(compressed.length).isLessThan(LIMIT / 8);

        ProtocolException refused = catchThrowableOfType(ProtocolException.class, () -> TaskBatches.decode(
                new TaskBatch(1, encoding, Base64.getEncoder().encodeToString(compressed)), LIMIT));

        assertThat(refused.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(refused.detail()).contains("more than " + LIMIT + " bytes");
    }

    @Test
    void identityBodyLargerThanTheLimitIsRefused() {
        TaskBatch batch = TaskBatches.encode(assignments(300), Encoding.IDENTITY);

        assertThatThrownBy(() -> TaskBatches.decode(batch, 1024))
                .isInstanceOfSatisfying(ProtocolException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    }

    private static void assertInvalid(TaskBatch batch, String detail) {
        ProtocolException refused = catchThrowableOfType(ProtocolException.class, () -> TaskBatches.decode(batch, LIMIT));
        assertThat(refused).as("refusal of %s", batch).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refused.detail()).contains(detail);
    }

    private static List<TaskAssignment> assignments(int count) {
        Instant deadline = Instant.parse("2026-11-24T10:15:30.123Z");
        return IntStream.range(0, count)
                .mapToObj(i -> new TaskAssignment("task-" + i, 1, "echo",
                        Json.mapper().createObjectNode().put("n", i).put("text", "some payload text " + i),
                        deadline, "epoch:" + i))
                .toList();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }
}
