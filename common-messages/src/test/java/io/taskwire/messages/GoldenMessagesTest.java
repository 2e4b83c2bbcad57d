package io.taskwire.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden files are PROTOCOL.md section 4 written out; each record must read its file and write
 * back exactly the same JSON, with exactly the same field names.
 */
class GoldenMessagesTest {

    private static final ObjectMapper MAPPER = Json.mapper();

    /**
     * One golden file.
     *
     * @param file the file name under {@code golden/}
     * @param type the record it holds
     * @param absentOptionals optional fields (marked {@code ?} in the spec) this file leaves out on purpose; a
     *        field of a nested object as {@code spec.cron}
     */
    record Golden(String file, Class<?> type, Set<String> absentOptionals) {

        @Override
        public String toString() {
            return file;
        }
    }

    static List<Golden> goldens() {
        return List.of(
                new Golden("WorkerHello.json", WorkerHello.class, Set.of()),
                new Golden("ClientHello.json", ClientHello.class, Set.of()),
                new Golden("WorkerHeartbeat.json", WorkerHeartbeat.class, Set.of()),
                new Golden("WorkerConfig.json", WorkerConfig.class, Set.of()),
                new Golden("TaskSpec.json", TaskSpec.class, Set.of()),
                new Golden("TaskView.json", TaskView.class, Set.of()),
                new Golden("TaskAssignment.json", TaskAssignment.class, Set.of()),
                new Golden("TaskResult-succeeded.json", TaskResult.class, Set.of("error")),
                new Golden("TaskResult-failed.json", TaskResult.class, Set.of("output")),
                new Golden("ResultAck.json", ResultAck.class, Set.of()),
                new Golden("TaskBatch.json", TaskBatch.class, Set.of()),
                new Golden("BatchReceipt.json", BatchReceipt.class, Set.of()),
                new Golden("TaskEvent.json", TaskEvent.class, Set.of()),
                new Golden("ErrorBody.json", ErrorBody.class, Set.of()),
                new Golden("DrainRequest.json", DrainRequest.class, Set.of()),
                new Golden("DrainReply.json", DrainReply.class, Set.of()),
                new Golden("Ping.json", Ping.class, Set.of()),
                new Golden("Pong.json", Pong.class, Set.of()),
                new Golden("TaskCancel.json", TaskCancel.class, Set.of()),
                new Golden("TaskProgress.json", TaskProgress.class, Set.of()),
                new Golden("TaskRef.json", TaskRef.class, Set.of()),
                new Golden("WatchFilter.json", WatchFilter.class, Set.of()),
                new Golden("ScheduleSpec.json", ScheduleSpec.class, Set.of("everyMs", "task.idempotencyKey")),
                new Golden("ScheduleView.json", ScheduleView.class, Set.of("nextFireTimes", "recentTasks", "spec.cron",
                        "spec.task.idempotencyKey", "spec.startAt", "spec.endAt")),
                new Golden("ScheduleRef.json", ScheduleRef.class, Set.of()),
                new Golden("ScheduleQuery.json", ScheduleQuery.class, Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void readsAndWritesBackTheSameJson(Golden golden) throws IOException {
        JsonNode expected = GoldenFiles.tree(golden.file());

        Object message = Json.read(GoldenFiles.bytes(golden.file()), golden.type());
        JsonNode written = MAPPER.readTree(Json.write(message));

        assertThat(message).isInstanceOf(golden.type());
        assertThat(written).as("%s written back from %s", golden.file(), message).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void recordFieldNamesAreExactlyTheGoldenKeys(Golden golden) {
        JsonNode file = GoldenFiles.tree(golden.file());

        assertFieldNamesMatch(MAPPER.constructType(golden.type()), file, golden.file(), golden.absentOptionals());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void writingTheDecodedMessageTwiceGivesTheSameText(Golden golden) {
        Object message = Json.read(GoldenFiles.bytes(golden.file()), golden.type());
        String once = Json.write(message);

        Object again = Json.read(once.getBytes(java.nio.charset.StandardCharsets.UTF_8), golden.type());

        assertThat(again).isEqualTo(message);
        assertThat(Json.write(again)).isEqualTo(once);
    }

    @Test
    void everyGoldenFileIsCheckedAndEveryCheckedFileExists() throws IOException, URISyntaxException {
        Path directory = Path.of(GoldenMessagesTest.class.getResource(GoldenFiles.DIRECTORY).toURI());
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(directory)) {
            onDisk = files.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }

        Set<String> listed = goldens().stream().map(Golden::file).collect(Collectors.toCollection(TreeSet::new));

        assertThat(onDisk).isEqualTo(listed);
    }

    @Test
    void decodesWorkerHelloValuesAsTheSpecWritesThem() {
        WorkerHello hello = Json.read(GoldenFiles.bytes("WorkerHello.json"), WorkerHello.class);

        assertThat(hello.protocolVersion()).isEqualTo(Protocol.VERSION);
        assertThat(hello.workerId()).isEqualTo("w-1");
        assertThat(hello.slots()).isEqualTo(8);
        assertThat(hello.taskTypes()).containsExactly("echo", "sleep");
        assertThat(hello.labels()).containsExactlyEntriesOf(Map.of("zone", "a"));
        assertThat(hello.encodings()).containsExactly("zstd", "gzip");
        assertThat(hello.running()).containsExactly(new RunningAttempt("7f9c2a4e-1b3d-4c5e-8f6a-0b1c2d3e4f50", 1, "3:17"));
    }

    @Test
    void aHelloWithoutRunningListsNoAttemptsAndOneListingTooManyIsRefusedNamingTheField() {
        WorkerHello older = Json.read(("{\"protocolVersion\":1,\"workerId\":\"w-1\",\"host\":\"h\",\"slots\":1,"
                + "\"taskTypes\":[\"echo\"],\"version\":\"1\"}").getBytes(StandardCharsets.UTF_8), WorkerHello.class);
        List<RunningAttempt> tooMany = java.util.stream.IntStream.rangeClosed(1, WorkerHello.MAX_RUNNING + 1)
                .mapToObj(n -> new RunningAttempt("t-" + n, 1, "1:" + n)).toList();

        assertThat(older.running()).isEmpty();
        assertThat(older.withRunning(tooMany).running()).as("withRunning keeps the first ones")
                .hasSize(WorkerHello.MAX_RUNNING).startsWith(tooMany.get(0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkerHello(1, "w-1", "h", 1, List.of("echo"),
                        Map.of(), "1", null, tooMany))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("running");
    }

    @Test
    void aWorkerConfigWithoutDrainingMeansNotDraining() {
        WorkerConfig config = Json.read("{\"heartbeatIntervalMs\":2000,\"slots\":4}".getBytes(StandardCharsets.UTF_8),
                WorkerConfig.class);

        assertThat(config.draining()).isFalse();
        assertThat(Json.read(GoldenFiles.bytes("WorkerConfig.json"), WorkerConfig.class).draining()).isTrue();
    }

    @Test
    void decodesLowercaseBatchEncodingToItsConstant() {
        TaskBatch batch = Json.read(GoldenFiles.bytes("TaskBatch.json"), TaskBatch.class);

        assertThat(batch.encoding()).isEqualTo(Encoding.ZSTD);
        assertThat(batch.count()).isEqualTo(2);
    }

    @Test
    void decodesTaskSpecRoutingAndOptions() {
        TaskSpec spec = Json.read(GoldenFiles.bytes("TaskSpec.json"), TaskSpec.class);

        assertThat(spec.routing().strategy()).isEqualTo(RoutingStrategy.PINNED);
        assertThat(spec.routing().workerId()).isEqualTo("w-1");
        assertThat(spec.routing().labels()).containsExactlyEntriesOf(Map.of("zone", "a"));
        assertThat(spec.timeoutMs()).isEqualTo(30_000L);
        assertThat(spec.maxAttempts()).isEqualTo(3);
        assertThat(spec.awaitMs()).isEqualTo(10_000L);
        assertThat(spec.payload().get("nested").get("none").isNull()).isTrue();
    }

    @Test
    void decodesTimestampsToTheExactInstant() {
        TaskView view = Json.read(GoldenFiles.bytes("TaskView.json"), TaskView.class);

        assertThat(view.createdAt()).isEqualTo(Instant.parse("2026-11-24T10:15:30.123Z"));
        assertThat(view.finishedAt()).isEqualTo(Instant.parse("2026-11-24T10:16:01.789Z"));
        assertThat(view.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(view.error().retryable()).isTrue();
    }

    @Test
    void decodesBothTaskResultOutcomes() {
        TaskResult succeeded = Json.read(GoldenFiles.bytes("TaskResult-succeeded.json"), TaskResult.class);
        TaskResult failed = Json.read(GoldenFiles.bytes("TaskResult-failed.json"), TaskResult.class);

        assertThat(succeeded.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(succeeded.error()).isNull();
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.output()).isNull();
        assertThat(failed.error().retryable()).isFalse();
    }

    /**
     * Asserts that the JSON names Jackson uses for {@code type} are the keys of {@code node} plus the
     * optional ones the file leaves out, and recurses into nested records (routing, error, rejected[]).
     */
    /** @return the absent optionals of a nested object: {@code spec.cron} is {@code cron} of the field {@code spec} */
    private static Set<String> nested(Set<String> absentOptionals, String field) {
        return absentOptionals.stream().filter(path -> path.startsWith(field + "."))
                .map(path -> path.substring(field.length() + 1)).collect(java.util.stream.Collectors.toSet());
    }

    private static void assertFieldNamesMatch(JavaType type, JsonNode node, String where, Set<String> absentOptionals) {
        assertThat(node.isObject()).as("%s is a JSON object", where).isTrue();
        BeanDescription description = MAPPER.getSerializationConfig().introspect(type);
        Map<String, JavaType> properties = new LinkedHashMap<>();
        for (BeanPropertyDefinition property : description.findProperties()) {
            properties.put(property.getName(), property.getPrimaryType());
        }
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);

        Set<String> topLevel = new TreeSet<>(absentOptionals);
        topLevel.removeIf(path -> path.contains("."));
        Set<String> presentButMeantAbsent = new TreeSet<>(keys);
        presentButMeantAbsent.retainAll(topLevel);
        assertThat(presentButMeantAbsent).as("keys of %s that are meant to be absent", where).isEmpty();
        Set<String> expected = new TreeSet<>(keys);
        expected.addAll(topLevel);
        assertThat(new TreeSet<>(properties.keySet()))
                .as("JSON field names of %s against the keys of %s", type.getRawClass().getSimpleName(), where)
                .isEqualTo(expected);

        properties.forEach((name, propertyType) -> {
            JsonNode child = node.get(name);
            if (child == null || child.isNull()) {
                return;
            }
            if (propertyType.isCollectionLikeType() && propertyType.getContentType().getRawClass().isRecord()) {
                for (int i = 0; i < child.size(); i++) {
                    assertFieldNamesMatch(propertyType.getContentType(), child.get(i),
                            where + " " + name + "[" + i + "]", Set.of());
                }
            } else if (propertyType.getRawClass().isRecord()) {
                assertFieldNamesMatch(propertyType, child, where + " " + name, nested(absentOptionals, name));
            }
        });
    }
}
