package io.taskwire.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routes, error codes, MIME types and the error wire format of PROTOCOL.md sections 1 to 3. */
class ProtocolTest {

    /** The route column of PROTOCOL.md section 3, in its order. */
    /** The routes of section 3, read from the project's copy of the contract. */
    private static final List<String> SPEC_ROUTES = ProtocolDocument.routes();

    /** The codes of section 2, read from the project's copy of the contract. */
    private static final List<String> SPEC_ERROR_CODES = ProtocolDocument.errorCodes();

    // ---------------------------------------------------------------- routes

    @Test
    void specListsTwentySixDistinctRoutes() {
        assertThat(SPEC_ROUTES).hasSize(26).doesNotHaveDuplicates();
    }

    @Test
    void roleRouteSetsAreDisjoint() {
        List<Set<String>> sets = List.of(Routes.SCHEDULER_WORKER_ROUTES, Routes.SCHEDULER_CLIENT_ROUTES,
                Routes.WORKER_ROUTES, Routes.SETUP_ROUTES);
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                Set<String> common = new HashSet<>(sets.get(i));
                common.retainAll(sets.get(j));
                assertThat(common).as("routes in both set %d and set %d", i, j).isEmpty();
            }
        }
    }

    @Test
    void roleRouteSetsAndSetupRoutesCoverExactlyTheRoutesOfSection3() {
        List<String> all = new java.util.ArrayList<>();
        all.addAll(Routes.SCHEDULER_WORKER_ROUTES);
        all.addAll(Routes.SCHEDULER_CLIENT_ROUTES);
        all.addAll(Routes.WORKER_ROUTES);
        all.addAll(Routes.SETUP_ROUTES);

        assertThat(all).hasSize(26).containsExactlyInAnyOrderElementsOf(SPEC_ROUTES);
    }

    @Test
    void setupRoutesAreWorkerConnectAndClientConnect() {
        assertThat(Routes.SETUP_ROUTES).containsExactlyInAnyOrder("worker.connect", "client.connect");
    }

    @Test
    void workerConnectionMayCallTheWorkerToSchedulerRoutes() {
        assertThat(Routes.SCHEDULER_WORKER_ROUTES).containsExactlyInAnyOrder(
                "worker.heartbeat", "worker.drain", "task.progress", "task.result", "task.result.batch");
    }

    @Test
    void clientConnectionMayCallTheClientToSchedulerRoutes() {
        assertThat(Routes.SCHEDULER_CLIENT_ROUTES).containsExactlyInAnyOrder(
                "task.submit", "task.submit.await", "task.submit.oneway", "task.submit.batch", "task.get",
                "task.abort", "task.watch", "schedule.put", "schedule.get", "schedule.delete", "schedule.list",
                "schedule.pause", "schedule.resume", "schedule.trigger");
    }

    @Test
    void schedulerMayCallTheSchedulerToWorkerRoutes() {
        assertThat(Routes.WORKER_ROUTES).containsExactlyInAnyOrder(
                "worker.ping", "worker.config", "task.execute", "task.execute.batch", "task.cancel");
    }

    @Test
    void everyRouteConstantIsASpecRoute() throws IllegalAccessException {
        Set<String> constants = new TreeSet<>();
        for (java.lang.reflect.Field field : Routes.class.getFields()) {
            if (field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }

        assertThat(constants).containsExactlyInAnyOrderElementsOf(SPEC_ROUTES);
    }

    // ---------------------------------------------------------------- error codes

    @Test
    void errorCodesAreExactlyThoseOfSection2InItsOrder() {
        List<String> names = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toList());

        assertThat(SPEC_ERROR_CODES).hasSize(14);
        assertThat(names).containsExactlyElementsOf(SPEC_ERROR_CODES);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void errorCodeFromWireReadsItsOwnName(ErrorCode code) {
        assertThat(ErrorCode.fromWire(code.name())).isEqualTo(code);
    }

    @Test
    void errorCodeFromWireMapsUnknownAndMissingCodesToInternal() {
        assertThat(ErrorCode.fromWire("QUOTA_EXCEEDED")).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ErrorCode.fromWire("at_capacity")).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ErrorCode.fromWire(null)).isEqualTo(ErrorCode.INTERNAL);
    }

    // ---------------------------------------------------------------- MIME types and constants

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"})
    void acceptsJsonDataMimeType(String mimeType) {
        assertThat(Protocol.isJson(mimeType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/cbor", "text/plain", "application/json; charset=iso-8859-1",
        "application/jsonx", "application/x-protobuf", ""})
    void rejectsOtherDataMimeTypes(String mimeType) {
        assertThat(Protocol.isJson(mimeType)).isFalse();
    }

    @Test
    void rejectsMissingDataMimeType() {
        assertThat(Protocol.isJson(null)).isFalse();
    }

    @Test
    void constantsMatchSection1() {
        assertThat(Protocol.VERSION).isEqualTo(1);
        assertThat(Protocol.DATA_MIME_TYPE).isEqualTo("application/json");
        assertThat(Protocol.METADATA_MIME_TYPE).isEqualTo("message/x.rsocket.composite-metadata.v0");
        assertThat(Protocol.ROUTING_MIME_TYPE).isEqualTo("message/x.rsocket.routing.v0");
        assertThat(Protocol.AUTHENTICATION_MIME_TYPE).isEqualTo("message/x.rsocket.authentication.v0");
        assertThat(Protocol.DEFAULT_PORT).isEqualTo(7000);
        assertThat(Protocol.DEFAULT_MAX_PAYLOAD_BYTES).isEqualTo(1024 * 1024);
        assertThat(Protocol.ENVELOPE_RESERVE_BYTES).isEqualTo(4 * 1024);
        assertThat(Protocol.FRAGMENT_SIZE_BYTES).isEqualTo(64 * 1024);
        assertThat(Protocol.MAX_ID_LENGTH).isEqualTo(128);
        assertThat(Protocol.MIN_KEEPALIVE_INTERVAL_MS).isEqualTo(1_000);
        assertThat(Protocol.MAX_KEEPALIVE_INTERVAL_MS).isEqualTo(60_000);
        assertThat(Protocol.MIN_KEEPALIVE_LIFETIME_MS).isEqualTo(3_000);
        assertThat(Protocol.MAX_KEEPALIVE_LIFETIME_MS).isEqualTo(300_000);
        assertThat(Protocol.SETUP_DEADLINE_MS).isEqualTo(5_000);
    }

    // ---------------------------------------------------------------- ProtocolException on the wire

    @Test
    void exceptionMessageIsTheErrorJsonOfSection2() throws Exception {
        ProtocolException e = new ProtocolException(ErrorCode.AT_CAPACITY, "worker w-1 has no free slot");

        JsonNode wire = Json.mapper().readTree(e.getMessage());

        assertThat(wire.isObject()).isTrue();
        assertThat(wire.size()).isEqualTo(2);
        assertThat(wire.get("code").asText()).isEqualTo("AT_CAPACITY");
        assertThat(wire.get("message").asText()).isEqualTo("worker w-1 has no free slot");
        assertThat(e.code()).isEqualTo(ErrorCode.AT_CAPACITY);
        assertThat(e.detail()).isEqualTo("worker w-1 has no free slot");
    }

    @Test
    void exceptionMessageEscapesQuotesAndNewlines() throws Exception {
        String detail = "field \"slots\" is wrong\nsee line 2 \\ done";
        ProtocolException e = new ProtocolException(ErrorCode.INVALID_REQUEST, detail);

        JsonNode wire = Json.mapper().readTree(e.getMessage());

        assertThat(wire.get("message").asText()).isEqualTo(detail);
    }

    @Test
    void exceptionBodyIsTheErrorBodyRecord() {
        ProtocolException e = new ProtocolException(ErrorCode.DRAINING, "draining");

        assertThat(e.body()).isEqualTo(new ErrorBody("DRAINING", "draining"));
        assertThat(Json.write(e.body())).isEqualTo(e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void fromWireRoundTripsEveryCode(ErrorCode code) {
        ProtocolException sent = new ProtocolException(code, "detail of " + code + " with \"quotes\"");

        ProtocolException received = ProtocolException.fromWire(sent.getMessage());

        assertThat(received.code()).isEqualTo(code);
        assertThat(received.detail()).isEqualTo(sent.detail());
        assertThat(received.getMessage()).isEqualTo(sent.getMessage());
    }

    @Test
    void fromWireReadsJsonWrittenByAnotherPeer() {
        ProtocolException received = ProtocolException.fromWire(
                "{ \"message\" : \"no such task t-9\", \"code\" : \"NOT_FOUND\", \"hint\": \"check the id\" }");

        assertThat(received.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(received.detail()).isEqualTo("no such task t-9");
    }

    @Test
    void fromWireMapsAnUnknownCodeToInternalAndKeepsTheMessage() {
        ProtocolException received = ProtocolException.fromWire("{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"slow down\"}");

        assertThat(received.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(received.detail()).isEqualTo("slow down");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection reset by peer", "{not json at all", "{\"message\":\"no code\"}", "",
        "{\"code\":\"TIMEOUT\"} trailing"})
    void fromWireToleratesTextThatIsNotTheErrorJson(String text) {
        ProtocolException received = ProtocolException.fromWire(text);

        assertThat(received.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(received.detail()).isEqualTo(text);
    }

    @Test
    void fromWireToleratesNull() {
        ProtocolException received = ProtocolException.fromWire(null);

        assertThat(received.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(received.detail()).isNotNull();
    }
}
