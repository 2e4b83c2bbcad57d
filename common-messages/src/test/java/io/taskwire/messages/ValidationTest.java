package io.taskwire.messages;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link Json#read} refuses, and how: always {@link ErrorCode#INVALID_REQUEST} with a detail
 * naming the field. Each invalid document is a golden file with exactly one thing changed.
 */
class ValidationTest {

    private static final String LONG_ID = "x".repeat(Protocol.MAX_ID_LENGTH + 1);

    // ---------------------------------------------------------------- missing required fields

    /** Fields PROTOCOL.md section 4 does not mark optional ({@code ?}) and the records enforce. */
    static Stream<Arguments> requiredFields() {
        Map<String, List<String>> required = Map.ofEntries(
                Map.entry("WorkerHello", List.of("protocolVersion", "workerId", "host", "slots", "taskTypes", "version")),
                Map.entry("ClientHello", List.of("protocolVersion", "clientId")),
                Map.entry("WorkerHeartbeat", List.of("workerId", "seq", "sentAt", "running", "freeSlots", "cpuLoad",
                        "heapUsedBytes", "heapMaxBytes")),
                Map.entry("WorkerConfig", List.of("heartbeatIntervalMs", "slots")),
                Map.entry("TaskSpec", List.of("type", "payload")),
                Map.entry("TaskView", List.of("taskId", "type", "status", "attempt", "createdAt")),
                Map.entry("TaskAssignment", List.of("taskId", "attempt", "type", "payload", "deadline", "fence")),
                Map.entry("TaskResult-failed", List.of("taskId", "attempt", "workerId", "fence", "outcome", "startedAt",
                        "finishedAt")),
                Map.entry("ResultAck", List.of("taskId", "attempt", "accepted", "duplicate", "stale")),
                Map.entry("TaskBatch", List.of("count", "encoding", "body")),
                Map.entry("TaskEvent", List.of("taskId", "status", "attempt", "at")),
                Map.entry("ErrorBody", List.of("code")),
                Map.entry("DrainRequest", List.of("workerId")),
                Map.entry("DrainReply", List.of("workerId", "inFlight")),
                Map.entry("Ping", List.of("sentAt")),
                Map.entry("Pong", List.of("sentAt", "receivedAt")),
                Map.entry("TaskCancel", List.of("taskId", "attempt")),
                Map.entry("TaskProgress", List.of("taskId", "attempt", "percent")),
                Map.entry("TaskRef", List.of("taskId")),
                Map.entry("ScheduleSpec", List.of("scheduleId", "task")),
                Map.entry("ScheduleView", List.of("scheduleId", "spec", "paused", "fired", "createdAt", "updatedAt")),
                Map.entry("ScheduleRef", List.of("scheduleId")));
        return required.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .flatMap(entry -> entry.getValue().stream().map(field -> Arguments.of(entry.getKey(), field)));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("requiredFields")
    void rejectsMessageMissingARequiredField(String golden, String field) {
        ObjectNode json = GoldenFiles.object(golden + ".json");
        assertThat(json.has(field)).as("golden %s has %s", golden, field).isTrue();
        json.remove(field);

        assertRejectedNaming(json, typeOf(golden), field);
    }

    @Test
    void rejectsMissingWorkerId() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.remove("workerId");

        ProtocolException e = assertRejectedNaming(hello, WorkerHello.class, "workerId");
        assertThat(e.detail()).contains("required");
    }

    @Test
    void rejectsMissingSlotsInsteadOfDefaultingToZero() {
        ObjectNode config = GoldenFiles.object("WorkerConfig.json");
        config.remove("slots");

        ProtocolException e = assertRejectedNaming(config, WorkerConfig.class, "slots");
        assertThat(e.detail()).contains("required");
    }

    @Test
    void rejectsMissingCpuLoadInsteadOfDefaultingToZero() {
        ObjectNode heartbeat = GoldenFiles.object("WorkerHeartbeat.json");
        heartbeat.remove("cpuLoad");

        assertRejectedNaming(heartbeat, WorkerHeartbeat.class, "cpuLoad");
    }

    @Test
    void rejectsNullSlots() {
        ObjectNode config = GoldenFiles.object("WorkerConfig.json");
        config.putNull("slots");

        assertRejectedNaming(config, WorkerConfig.class, "slots");
    }

    @Test
    void rejectsTaskErrorMissingCode() {
        ObjectNode result = GoldenFiles.object("TaskResult-failed.json");
        ((ObjectNode) result.get("error")).remove("code");

        ProtocolException e = assertRejectedNaming(result, TaskResult.class, "code");
        assertThat(e.detail()).contains("error");
    }

    @Test
    void rejectsTaskErrorMissingRetryable() {
        ObjectNode view = GoldenFiles.object("TaskView.json");
        ((ObjectNode) view.get("error")).remove("retryable");

        assertRejectedNaming(view, TaskView.class, "retryable");
    }

    @Test
    void rejectsBatchRejectionMissingCode() {
        ObjectNode receipt = GoldenFiles.object("BatchReceipt.json");
        ((ObjectNode) receipt.get("rejected").get(0)).remove("code");

        ProtocolException e = assertRejectedNaming(receipt, BatchReceipt.class, "code");
        assertThat(e.detail()).contains("rejected[0]");
    }

    @Test
    void rejectsNullEntryInTaskTypes() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        ((ArrayNode) hello.get("taskTypes")).addNull();

        ProtocolException e = assertRejectedNaming(hello, WorkerHello.class, "taskTypes");
        assertThat(e.detail()).contains("taskTypes[2]");
    }

    @Test
    void rejectsNullLabelValue() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        ((ObjectNode) hello.get("labels")).putNull("rack");

        ProtocolException e = assertRejectedNaming(hello, WorkerHello.class, "labels");
        assertThat(e.detail()).contains("rack");
    }

    // ---------------------------------------------------------------- wrong types

    @Test
    void rejectsSlotsGivenAsAWord() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.put("slots", "eight");

        ProtocolException e = assertRejectedNaming(hello, WorkerHello.class, "slots");
        assertThat(e.detail()).contains("integer");
    }

    @Test
    void rejectsPercentGivenAsBoolean() {
        ObjectNode progress = GoldenFiles.object("TaskProgress.json");
        progress.put("percent", true);

        assertRejectedNaming(progress, TaskProgress.class, "percent");
    }

    @Test
    void rejectsTimeoutGivenAsText() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        spec.put("timeoutMs", "thirty seconds");

        assertRejectedNaming(spec, TaskSpec.class, "timeoutMs");
    }

    @Test
    void rejectsSlotsBeyondTheIntegerRange() {
        ObjectNode config = GoldenFiles.object("WorkerConfig.json");
        config.put("slots", 99_999_999_999L);

        assertRejectedNaming(config, WorkerConfig.class, "slots");
    }

    @Test
    void rejectsTaskIdGivenAsObject() {
        ObjectNode ref = GoldenFiles.object("TaskRef.json");
        ref.putObject("taskId").put("id", "t-1");

        assertRejectedNaming(ref, TaskRef.class, "taskId");
    }

    @Test
    void rejectsTaskTypesGivenAsString() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.put("taskTypes", "echo");

        ProtocolException e = assertRejectedNaming(hello, WorkerHello.class, "taskTypes");
        assertThat(e.detail()).contains("array");
    }

    @Test
    void rejectsRetryableGivenAsText() {
        ObjectNode result = GoldenFiles.object("TaskResult-failed.json");
        ((ObjectNode) result.get("error")).put("retryable", "no");

        ProtocolException e = assertRejectedNaming(result, TaskResult.class, "retryable");
        assertThat(e.detail()).contains("error.retryable");
    }

    @Test
    void rejectsTimestampThatIsNotIso8601() {
        ObjectNode heartbeat = GoldenFiles.object("WorkerHeartbeat.json");
        heartbeat.put("sentAt", "yesterday at noon");

        assertRejectedNaming(heartbeat, WorkerHeartbeat.class, "sentAt");
    }

    // ---------------------------------------------------------------- out-of-range values

    @Test
    void rejectsZeroSlotsInWorkerHello() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.put("slots", 0);

        assertRejectedNaming(hello, WorkerHello.class, "slots");
    }

    @Test
    void rejectsZeroSlotsInWorkerConfig() {
        ObjectNode config = GoldenFiles.object("WorkerConfig.json");
        config.put("slots", 0);

        assertRejectedNaming(config, WorkerConfig.class, "slots");
    }

    @Test
    void rejectsPercentAboveOneHundred() {
        ObjectNode progress = GoldenFiles.object("TaskProgress.json");
        progress.put("percent", 101);

        assertRejectedNaming(progress, TaskProgress.class, "percent");
    }

    @Test
    void rejectsNegativePercent() {
        ObjectNode progress = GoldenFiles.object("TaskProgress.json");
        progress.put("percent", -1);

        assertRejectedNaming(progress, TaskProgress.class, "percent");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100})
    void acceptsPercentAtTheBounds(int percent) {
        ObjectNode progress = GoldenFiles.object("TaskProgress.json");
        progress.put("percent", percent);

        assertThat(read(progress, TaskProgress.class).percent()).isEqualTo(percent);
    }

    @Test
    void rejectsTaskIdLongerThan128Characters() {
        ObjectNode ref = GoldenFiles.object("TaskRef.json");
        ref.put("taskId", LONG_ID);

        ProtocolException e = assertRejectedNaming(ref, TaskRef.class, "taskId");
        assertThat(e.detail()).contains("128");
    }

    @Test
    void acceptsTaskIdOfExactly128Characters() {
        ObjectNode ref = GoldenFiles.object("TaskRef.json");
        String id = "y".repeat(Protocol.MAX_ID_LENGTH);
        ref.put("taskId", id);

        assertThat(read(ref, TaskRef.class).taskId()).isEqualTo(id);
    }

    @Test
    void rejectsWorkerIdLongerThan128Characters() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.put("workerId", LONG_ID);

        assertRejectedNaming(hello, WorkerHello.class, "workerId");
    }

    @Test
    void rejectsIdempotencyKeyLongerThan128Characters() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        spec.put("idempotencyKey", LONG_ID);

        assertRejectedNaming(spec, TaskSpec.class, "idempotencyKey");
    }

    @Test
    void rejectsAcceptedTaskIdLongerThan128Characters() {
        ObjectNode receipt = GoldenFiles.object("BatchReceipt.json");
        ((ArrayNode) receipt.get("accepted")).add(LONG_ID);

        ProtocolException e = assertRejectedNaming(receipt, BatchReceipt.class, "accepted");
        assertThat(e.detail()).contains("accepted[2]");
    }

    @Test
    void rejectsPinnedRoutingWithoutWorkerId() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        ObjectNode routing = (ObjectNode) spec.get("routing");
        routing.put("strategy", "PINNED");
        routing.remove("workerId");

        ProtocolException e = assertRejectedNaming(spec, TaskSpec.class, "workerId");
        assertThat(e.detail()).contains("routing").contains("PINNED");
    }

    @Test
    void rejectsConsistentHashRoutingWithoutKey() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        ((ObjectNode) spec.get("routing")).put("strategy", "CONSISTENT_HASH");
        spec.remove("key");

        ProtocolException e = assertRejectedNaming(spec, TaskSpec.class, "key");
        assertThat(e.detail()).contains("CONSISTENT_HASH");
    }

    @Test
    void acceptsConsistentHashRoutingWithKey() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        ((ObjectNode) spec.get("routing")).put("strategy", "CONSISTENT_HASH");

        TaskSpec read = read(spec, TaskSpec.class);

        assertThat(read.routing().strategy()).isEqualTo(RoutingStrategy.CONSISTENT_HASH);
        assertThat(read.key()).isEqualTo("tenant-3");
    }

    @Test
    void rejectsAttemptZeroInAssignment() {
        ObjectNode assignment = GoldenFiles.object("TaskAssignment.json");
        assignment.put("attempt", 0);

        assertRejectedNaming(assignment, TaskAssignment.class, "attempt");
    }

    @Test
    void rejectsNegativeInFlight() {
        ObjectNode reply = GoldenFiles.object("DrainReply.json");
        reply.put("inFlight", -1);

        assertRejectedNaming(reply, DrainReply.class, "inFlight");
    }

    @Test
    void rejectsBatchCountZero() {
        ObjectNode batch = GoldenFiles.object("TaskBatch.json");
        batch.put("count", 0);

        assertRejectedNaming(batch, TaskBatch.class, "count");
    }

    @Test
    void rejectsWorkerHelloWithNoTaskTypes() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.putArray("taskTypes");

        assertRejectedNaming(hello, WorkerHello.class, "taskTypes");
    }

    @Test
    void rejectsZeroTimeout() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        spec.put("timeoutMs", 0);

        assertRejectedNaming(spec, TaskSpec.class, "timeoutMs");
    }

    // ---------------------------------------------------------------- unknown enum values

    @Test
    void rejectsUnknownTaskStatus() {
        ObjectNode view = GoldenFiles.object("TaskView.json");
        view.put("status", "RUNNING");

        ProtocolException e = assertRejectedNaming(view, TaskView.class, "status");
        assertThat(e.detail()).contains("RUNNING");
    }

    @Test
    void rejectsLowercaseTaskStatus() {
        ObjectNode event = GoldenFiles.object("TaskEvent.json");
        event.put("status", "dispatched");

        assertRejectedNaming(event, TaskEvent.class, "status");
    }

    @Test
    void rejectsUnknownOutcome() {
        ObjectNode result = GoldenFiles.object("TaskResult-succeeded.json");
        result.put("outcome", "SUCCESS");

        assertRejectedNaming(result, TaskResult.class, "outcome");
    }

    @Test
    void rejectsUnknownRoutingStrategy() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        ((ObjectNode) spec.get("routing")).put("strategy", "FASTEST");

        ProtocolException e = assertRejectedNaming(spec, TaskSpec.class, "strategy");
        assertThat(e.detail()).contains("routing.strategy");
    }

    @Test
    void rejectsUppercaseBatchEncoding() {
        ObjectNode batch = GoldenFiles.object("TaskBatch.json");
        batch.put("encoding", "ZSTD");

        assertRejectedNaming(batch, TaskBatch.class, "encoding");
    }

    @Test
    void rejectsUnknownBatchEncoding() {
        ObjectNode batch = GoldenFiles.object("TaskBatch.json");
        batch.put("encoding", "brotli");

        assertRejectedNaming(batch, TaskBatch.class, "encoding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"identity", "gzip", "zstd"})
    void acceptsEveryBatchEncodingOfTheSpec(String encoding) {
        ObjectNode batch = GoldenFiles.object("TaskBatch.json");
        batch.put("encoding", encoding);

        TaskBatch read = read(batch, TaskBatch.class);

        assertThat(Json.mapper().valueToTree(read).get("encoding").asText()).isEqualTo(encoding);
    }

    // ---------------------------------------------------------------- malformed JSON, trailing garbage

    @Test
    void rejectsUnquotedStringValue() {
        ProtocolException e = assertRejected("{\"taskId\": t-7f3a}", TaskRef.class);

        assertThat(e.detail()).contains("TaskRef").contains("line 1, column");
    }

    @Test
    void rejectsTruncatedDocument() {
        ProtocolException e = assertRejected("{\"workerId\":\"w-1\",\"inFlight\":", DrainReply.class);

        assertThat(e.detail()).contains("DrainReply");
    }

    @Test
    void rejectsEmptyDocument() {
        ProtocolException e = assertRejected("", TaskRef.class);

        assertThat(e.detail()).contains("TaskRef");
    }

    @Test
    void rejectsArrayWhereAnObjectIsExpected() {
        ProtocolException e = assertRejected("[{\"taskId\":\"t-1\"}]", TaskRef.class);

        assertThat(e.detail()).contains("TaskRef");
    }

    @Test
    void rejectsTrailingGarbage() {
        ProtocolException e = assertRejected("{\"taskId\":\"t-7f3a\"} garbage", TaskRef.class);

        assertThat(e.detail()).contains("TaskRef");
    }

    @Test
    void rejectsASecondDocumentAfterTheFirst() {
        ProtocolException e = assertRejected("{\"taskId\":\"t-1\"} {\"taskId\":\"t-2\"}", TaskRef.class);

        assertThat(e.detail()).contains("TaskRef");
    }

    @Test
    void rejectsTrailingCloseBracket() {
        assertRejected("{\"taskId\":\"t-7f3a\"}]", TaskRef.class);
    }

    // ---------------------------------------------------------------- tolerance

    @Test
    void ignoresUnknownTopLevelFields() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        WorkerHello plain = read(hello, WorkerHello.class);
        hello.put("gpu", "a100");
        hello.putObject("future").putArray("things").add(1).add("two");

        assertThat(read(hello, WorkerHello.class)).isEqualTo(plain);
    }

    @Test
    void ignoresUnknownNestedFields() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        TaskSpec plain = read(spec, TaskSpec.class);
        ((ObjectNode) spec.get("routing")).put("weight", 3);
        spec.put("priority", "high");

        assertThat(read(spec, TaskSpec.class)).isEqualTo(plain);
    }

    @Test
    void ignoresUnknownFieldsInTaskError() {
        ObjectNode result = GoldenFiles.object("TaskResult-failed.json");
        TaskResult plain = read(result, TaskResult.class);
        ((ObjectNode) result.get("error")).put("stackTrace", "at Handler.run(Handler.java:12)");

        assertThat(read(result, TaskResult.class)).isEqualTo(plain);
    }

    @Test
    void toleratesErrorCodesOfNewerPeers() {
        ObjectNode body = GoldenFiles.object("ErrorBody.json");
        body.put("code", "QUOTA_EXCEEDED");

        ErrorBody read = read(body, ErrorBody.class);

        assertThat(read.code()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(read.errorCode()).isEqualTo(ErrorCode.INTERNAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-24T10:15:30Z",
        "2026-11-24T10:15:30.1Z",
        "2026-11-24T10:15:30.12Z",
        "2026-11-24T10:15:30.123Z",
        "2026-11-24T10:15:30.1234Z",
        "2026-11-24T10:15:30.12345Z",
        "2026-11-24T10:15:30.123456Z",
        "2026-11-24T10:15:30.1234567Z",
        "2026-11-24T10:15:30.12345678Z",
        "2026-11-24T10:15:30.123456789Z"})
    void acceptsTimestampsWithZeroToNineFractionalDigits(String timestamp) {
        ObjectNode ping = GoldenFiles.object("Ping.json");
        ping.put("sentAt", timestamp);

        assertThat(read(ping, Ping.class).sentAt()).isEqualTo(Instant.parse(timestamp));
    }

    @Test
    void writesTimestampsAsIsoUtcStrings() {
        Ping ping = new Ping(Instant.parse("2026-11-24T10:15:30.123Z"));

        assertThat(Json.write(ping)).isEqualTo("{\"sentAt\":\"2026-11-24T10:15:30.123Z\"}");
    }

    // ---------------------------------------------------------------- defaults of absent optional fields

    @Test
    void routingDefaultsToRoundRobinWhenAbsent() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        spec.remove("routing");

        TaskSpec read = read(spec, TaskSpec.class);

        assertThat(read.routing().strategy()).isEqualTo(RoutingStrategy.ROUND_ROBIN);
        assertThat(read.routing().workerId()).isNull();
        assertThat(read.routing().labels()).isEmpty();
        assertThat(read.routing()).isEqualTo(Routing.DEFAULT);
    }

    @Test
    void routingDefaultsToRoundRobinWhenNull() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        spec.putNull("routing");

        assertThat(read(spec, TaskSpec.class).routing()).isEqualTo(Routing.DEFAULT);
    }

    @Test
    void routingStrategyDefaultsToRoundRobinWhenOnlyLabelsAreGiven() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        ObjectNode routing = spec.putObject("routing");
        routing.putObject("labels").put("zone", "b");

        Routing read = read(spec, TaskSpec.class).routing();

        assertThat(read.strategy()).isEqualTo(RoutingStrategy.ROUND_ROBIN);
        assertThat(read.labels()).containsExactlyEntriesOf(Map.of("zone", "b"));
    }

    @Test
    void routingLabelsDefaultToEmptyMap() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        ((ObjectNode) spec.get("routing")).remove("labels");

        Routing read = read(spec, TaskSpec.class).routing();

        assertThat(read.labels()).isNotNull().isEmpty();
    }

    @Test
    void workerHelloLabelsDefaultToEmptyMap() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.remove("labels");

        assertThat(read(hello, WorkerHello.class).labels()).isNotNull().isEmpty();
    }

    @Test
    void workerHelloWithoutEncodingsHasNone() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.remove("encodings");

        WorkerHello read = read(hello, WorkerHello.class);

        assertThat(read.encodings()).isNull();
        assertThat(Json.mapper().valueToTree(read).has("encodings")).isFalse();
    }

    @Test
    void taskSpecOptionsAreAbsentWhenNotGiven() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        for (String optional : List.of("idempotencyKey", "key", "timeoutMs", "maxAttempts", "awaitMs", "routing")) {
            spec.remove(optional);
        }

        TaskSpec read = read(spec, TaskSpec.class);

        assertThat(read.idempotencyKey()).isNull();
        assertThat(read.key()).isNull();
        assertThat(read.timeoutMs()).isNull();
        assertThat(read.maxAttempts()).isNull();
        assertThat(read.awaitMs()).isNull();
        assertThat(read).isEqualTo(TaskSpec.of("echo", spec.get("payload")));
    }

    @Test
    void acceptsJsonNullAsPayload() {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        spec.putNull("payload");

        TaskSpec read = read(spec, TaskSpec.class);

        assertThat(read.payload()).isNotNull();
        assertThat(read.payload().isNull()).isTrue();
        assertThat(Json.mapper().valueToTree(read).has("payload")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"text\"", "[1,2,3]", "true", "{}"})
    void acceptsAnyJsonValueAsPayload(String payload) throws Exception {
        ObjectNode spec = GoldenFiles.object("TaskSpec.json");
        JsonNode value = Json.mapper().readTree(payload);
        spec.set("payload", value);

        assertThat(read(spec, TaskSpec.class).payload()).isEqualTo(value);
    }

    @Test
    void taskViewOptionalFieldsAreAbsentWhenNotGiven() {
        ObjectNode view = GoldenFiles.object("TaskView.json");
        for (String optional : List.of("workerId", "startedAt", "finishedAt", "output", "error")) {
            view.remove(optional);
        }
        view.put("status", "PENDING");

        TaskView read = read(view, TaskView.class);

        assertThat(read.workerId()).isNull();
        assertThat(read.startedAt()).isNull();
        assertThat(read.finishedAt()).isNull();
        assertThat(read.output()).isNull();
        assertThat(read.error()).isNull();
        assertThat(Json.mapper().<JsonNode>valueToTree(read)).isEqualTo(view);
    }

    @Test
    void taskEventWorkerIdIsAbsentWhenNotGiven() {
        ObjectNode event = GoldenFiles.object("TaskEvent.json");
        event.remove("workerId");

        assertThat(read(event, TaskEvent.class).workerId()).isNull();
    }

    @Test
    void watchFilterWithNeitherFieldIsEmpty() {
        WatchFilter read = Json.read("{}".getBytes(UTF_8), WatchFilter.class);

        assertThat(read.taskId()).isNull();
        assertThat(read.type()).isNull();
        assertThat(Json.write(read)).isEqualTo("{}");
    }

    // ---------------------------------------------------------------- schedules (section 8)

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            both cron and everyMs    | {"scheduleId":"s","cron":"0 2 * * *","everyMs":60000,"task":{"type":"t","payload":1}} | cron
            neither                  | {"scheduleId":"s","task":{"type":"t","payload":1}}                                    | everyMs
            blank cron               | {"scheduleId":"s","cron":" ","task":{"type":"t","payload":1}}                         | cron
            everyMs under a second   | {"scheduleId":"s","everyMs":999,"task":{"type":"t","payload":1}}                      | everyMs
            unknown zone             | {"scheduleId":"s","cron":"0 2 * * *","timeZone":"Mars/Olympus","task":{"type":"t","payload":1}} | timeZone
            endAt before startAt     | {"scheduleId":"s","everyMs":60000,"startAt":"2027-01-02T00:00:00Z","endAt":"2027-01-01T00:00:00Z","task":{"type":"t","payload":1}} | endAt
            negative jitter          | {"scheduleId":"s","everyMs":60000,"jitterMs":-5,"task":{"type":"t","payload":1}}      | jitterMs
            a key of the task's own  | {"scheduleId":"s","everyMs":60000,"task":{"type":"t","payload":1,"idempotencyKey":"k"}} | task.idempotencyKey
            task without a type      | {"scheduleId":"s","everyMs":60000,"task":{"payload":1}}                               | type
            unknown misfire policy   | {"scheduleId":"s","everyMs":60000,"misfire":"NEVER","task":{"type":"t","payload":1}}  | misfire
            unknown overlap policy   | {"scheduleId":"s","everyMs":60000,"overlap":"QUEUE","task":{"type":"t","payload":1}}  | overlap
            """)
    void rejectsABadScheduleSpecNamingTheField(String what, String json, String field) {
        assertRejectedNaming(Json.read(json.getBytes(UTF_8), JsonNode.class), ScheduleSpec.class, field);
    }

    @Test
    void aScheduleIdLeavesRoomForTheFireTimeInItsTasksKeys() {
        String longest = "s".repeat(ScheduleSpec.MAX_SCHEDULE_ID_LENGTH);
        String key = "schedule:" + longest + ":2026-12-07T10:00:00.000Z";
        ObjectNode json = GoldenFiles.object("ScheduleSpec.json").put("scheduleId", longest);

        assertThat(read(json, ScheduleSpec.class).scheduleId()).isEqualTo(longest);
        assertThat(key).hasSize(Protocol.MAX_ID_LENGTH);
        assertRejectedNaming(json.put("scheduleId", longest + "s"), ScheduleSpec.class, "scheduleId");
    }

    @Test
    void aScheduleSpecFillsItsDefaultsSoThatTheStoredSpecSaysWhatItDoes() {
        ScheduleSpec spec = Json.read("{\"scheduleId\":\"s\",\"everyMs\":60000,\"task\":{\"type\":\"t\",\"payload\":1}}"
                .getBytes(UTF_8), ScheduleSpec.class);

        assertThat(spec.timeZone()).isEqualTo("UTC");
        assertThat(spec.misfire()).isEqualTo(MisfirePolicy.FIRE_ONCE);
        assertThat(spec.overlap()).isEqualTo(OverlapPolicy.SKIP);
        assertThat(spec.jitterMs()).isZero();
        assertThat(spec.paused()).isFalse();
    }

    @Test
    void aScheduleQueryLimitLiesBetweenOneAndOneThousand() {
        assertThat(Json.read("{}".getBytes(UTF_8), ScheduleQuery.class).limit()).isEqualTo(ScheduleQuery.DEFAULT_LIMIT);
        assertRejected("{\"limit\":0}", ScheduleQuery.class);
        assertRejected("{\"limit\":1001}", ScheduleQuery.class);
    }

    // ---------------------------------------------------------------- the JSON literal null

    /** Every message type of the golden files, plus the nested records. */
    static Stream<Class<?>> messageTypes() {
        return Stream.concat(
                        requiredFields().map(arguments -> (String) arguments.get()[0]),
                        Stream.of("BatchReceipt", "WatchFilter", "TaskResult-succeeded", "TaskError", "Routing"))
                .map(ValidationTest::typeOf)
                .distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageTypes")
    void rejectsTheJsonLiteralNull(Class<?> type) {
        ProtocolException e = assertRejected("null", type);

        assertThat(e.detail()).contains(type.getSimpleName()).contains("null");
    }

    @Test
    void rejectsTheJsonLiteralNullSurroundedByWhitespace() {
        assertRejected(" \n null \n", TaskRef.class);
    }

    // ---------------------------------------------------------------- no loose type coercion

    static Stream<Arguments> wronglyTypedValues() {
        return Stream.of(
                Arguments.of("WorkerConfig", "slots", "\"8\""),
                Arguments.of("WorkerHello", "slots", "\"8\""),
                Arguments.of("WorkerConfig", "slots", "8.9"),
                Arguments.of("WorkerHello", "slots", "8.9"),
                Arguments.of("WorkerHello", "workerId", "7"),
                Arguments.of("WorkerHello", "host", "true"),
                Arguments.of("WorkerHello", "taskTypes", "[3]"),
                Arguments.of("ResultAck", "accepted", "\"true\""),
                Arguments.of("ResultAck", "duplicate", "0"),
                Arguments.of("TaskEvent", "status", "1"));
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @MethodSource("wronglyTypedValues")
    void rejectsAValueOfTheWrongJsonKindInsteadOfCoercingIt(String golden, String field, String value)
            throws Exception {
        ObjectNode json = GoldenFiles.object(golden + ".json");
        assertThat(json.has(field)).as("golden %s has %s", golden, field).isTrue();
        json.set(field, Json.mapper().readTree(value));

        assertRejectedNaming(json, typeOf(golden), field);
    }

    @Test
    void rejectsANumberAsATaskTypeNamingTheIndex() {
        ObjectNode hello = GoldenFiles.object("WorkerHello.json");
        hello.putArray("taskTypes").add(3);

        ProtocolException e = assertRejectedNaming(hello, WorkerHello.class, "taskTypes");
        assertThat(e.detail()).contains("taskTypes[0]");
    }

    @Test
    void rejectsANumberForAnEnum() {
        ObjectNode event = GoldenFiles.object("TaskEvent.json");
        event.put("status", 1);

        ProtocolException e = assertRejectedNaming(event, TaskEvent.class, "status");
        assertThat(e.detail()).doesNotContain("PENDING is").doesNotContain("DISPATCHED is");
    }

    // ---------------------------------------------------------------- missing fields named once

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("requiredFields")
    void namesAMissingRequiredFieldOnce(String golden, String field) {
        ObjectNode json = GoldenFiles.object(golden + ".json");
        json.remove(field);

        ProtocolException e = assertRejectedNaming(json, typeOf(golden), field);

        assertThat(e.detail()).doesNotContain(field + "." + field);
    }

    @Test
    void missingSlotsInWorkerConfigIsNamedOnce() {
        ObjectNode config = GoldenFiles.object("WorkerConfig.json");
        config.remove("slots");

        ProtocolException e = assertRejected(config.toString(), WorkerConfig.class);

        assertThat(e.detail()).contains("slots is required").doesNotContain("slots.slots");
    }

    // ---------------------------------------------------------------- trailing content, empty input

    @Test
    void secondDocumentAfterTheFirstIsReportedAsTrailingContent() {
        ProtocolException e = assertRejected("{\"taskId\":\"t-1\"} {\"taskId\":\"t-2\"}", TaskRef.class);

        assertThat(e.detail()).contains("unexpected content after the JSON value");
    }

    @Test
    void emptyInputIsReportedAsEmpty() {
        ProtocolException e = assertRejected("", TaskRef.class);

        assertThat(e.detail()).contains("empty");
    }

    // ---------------------------------------------------------------- optional and required nested fields

    @ParameterizedTest
    @ValueSource(strings = {"FAILED", "CANCELLED"})
    void taskResultWithoutErrorDecodes(String outcome) {
        ObjectNode result = GoldenFiles.object("TaskResult-failed.json");
        result.put("outcome", outcome);
        result.remove("error");

        TaskResult read = read(result, TaskResult.class);

        assertThat(read.outcome()).isEqualTo(Outcome.valueOf(outcome));
        assertThat(read.error()).isNull();
        assertThat(Json.mapper().<JsonNode>valueToTree(read)).isEqualTo(result);
    }

    @Test
    void taskErrorWithoutRetryableIsRejectedInATaskResult() {
        ObjectNode result = GoldenFiles.object("TaskResult-failed.json");
        ((ObjectNode) result.get("error")).remove("retryable");

        ProtocolException e = assertRejectedNaming(result, TaskResult.class, "retryable");
        assertThat(e.detail()).contains("retryable is required");
    }

    @Test
    void taskErrorWithoutRetryableIsRejectedInATaskView() {
        ObjectNode view = GoldenFiles.object("TaskView.json");
        ((ObjectNode) view.get("error")).remove("retryable");

        ProtocolException e = assertRejectedNaming(view, TaskView.class, "retryable");
        assertThat(e.detail()).contains("retryable is required");
    }

    @Test
    void taskErrorWithoutRetryableIsRejectedOnItsOwn() {
        ProtocolException e = assertRejected("{\"code\":\"INTERNAL\",\"message\":\"boom\"}", TaskError.class);

        assertThat(e.detail()).contains("retryable is required");
    }

    @Test
    void taskProgressWithoutMessageDecodesToAnEmptyMessageAndWritesItBack() {
        ObjectNode progress = GoldenFiles.object("TaskProgress.json");
        progress.remove("message");

        TaskProgress read = read(progress, TaskProgress.class);

        assertThat(read.message()).isEqualTo("");
        JsonNode written = Json.mapper().valueToTree(read);
        assertThat(written.has("message")).isTrue();
        assertThat(written.get("message").isTextual()).isTrue();
        assertThat(written.get("message").asText()).isEmpty();
        assertThat(Json.write(read)).contains("\"message\":\"\"");
    }

    // ---------------------------------------------------------------- helpers

    private static Class<?> typeOf(String golden) {
        String simpleName = golden.contains("-") ? golden.substring(0, golden.indexOf('-')) : golden;
        try {
            return Class.forName("io.taskwire.messages." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(JsonNode json, Class<T> type) {
        return Json.read(json.toString().getBytes(UTF_8), type);
    }

    private static ProtocolException assertRejected(String json, Class<?> type) {
        try {
            Object read = Json.read(json.getBytes(UTF_8), type);
            return fail("expected INVALID_REQUEST for %s but read %s", json, read);
        } catch (ProtocolException e) {
            assertThat(e.code()).as("code for %s", json).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.detail()).as("detail for %s", json).isNotBlank();
            return e;
        }
    }

    private static ProtocolException assertRejectedNaming(JsonNode json, Class<?> type, String field) {
        ProtocolException e = assertRejected(json.toString(), type);
        Pattern word = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(field) + "(?![A-Za-z0-9_])");
        assertThat(word.matcher(e.detail()).find())
                .as("detail '%s' names the field '%s'", e.detail(), field)
                .isTrue();
        return e;
    }
}
