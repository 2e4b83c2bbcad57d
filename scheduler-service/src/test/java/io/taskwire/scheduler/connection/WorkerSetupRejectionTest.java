package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.RSocket;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.util.DefaultPayload;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.WorkerHello;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import reactor.test.StepVerifier;

@RunningScheduler
class WorkerSetupRejectionTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Test
    void helloOfProtocolVersionTwoIsRejectedAsUnsupportedVersion() {
        WorkerHello hello = new WorkerHello(2, "reject-version", "localhost", 1, List.of("echo"),
                null, "test", null);

        ProtocolException refusal = RawSetup.rejectionOf(RawSetup.withHello(hello).connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(refusal.detail()).contains("protocol version").contains("2");
        assertNotRegistered("reject-version");
    }

    @Test
    void helloWithoutWorkerIdIsRejectedNamingWorkerId() {
        String hello = """
                {"protocolVersion":1,"host":"localhost","slots":1,"taskTypes":["echo"],"version":"test"}""";
        Set<String> before = knownIds();

        ProtocolException refusal = RawSetup.rejectionOf(RawSetup.withData(hello).connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refusal.detail()).contains("workerId");
        assertThat(knownIds()).isSubsetOf(before);
    }

    @Test
    void malformedJsonHelloIsRejectedAsInvalidRequest() {
        String hello = """
                {"protocolVersion":1,"workerId":"reject-malformed","host":""";

        ProtocolException refusal = RawSetup.rejectionOf(RawSetup.withData(hello).connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refusal.detail()).containsIgnoringCase("JSON");
        assertNotRegistered("reject-malformed");
    }

    @Test
    void cborDataMimeTypeIsRejectedAsInvalidRequest() {
        RawSetup setup = RawSetup.withHello(FakeWorker.hello("reject-cbor", 1, "echo"))
                .dataMimeType("application/cbor");

        ProtocolException refusal = RawSetup.rejectionOf(setup.connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refusal.detail()).contains("data MIME type").contains("application/cbor");
        assertNotRegistered("reject-cbor");
    }

    @Test
    void unknownSetupRouteIsRejectedAsInvalidRequest() {
        RawSetup setup = RawSetup.withHello(FakeWorker.hello("reject-route", 1, "echo")).route("hello");

        ProtocolException refusal = RawSetup.rejectionOf(setup.connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refusal.detail()).contains("SETUP route").contains("hello");
        assertNotRegistered("reject-route");
    }

    @Test
    void setupWithoutRouteIsRejectedAsInvalidRequest() {
        RawSetup setup = RawSetup.withHello(FakeWorker.hello("reject-no-route", 1, "echo")).route(null);

        ProtocolException refusal = RawSetup.rejectionOf(setup.connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refusal.detail()).contains("SETUP route").contains("missing");
        assertNotRegistered("reject-no-route");
    }

    @Test
    void keepaliveIntervalBelowOneSecondIsRejectedAsInvalidRequest() {
        RawSetup setup = RawSetup.withHello(FakeWorker.hello("reject-keepalive", 1, "echo"))
                .keepAliveInterval(Duration.ofMillis(500));

        ProtocolException refusal = RawSetup.rejectionOf(setup.connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refusal.detail()).contains("keepalive interval").contains("500");
        assertNotRegistered("reject-keepalive");
    }

    @Test
    void requestOnRejectedConnectionFailsWithTheRejection() {
        RawSetup setup = RawSetup.withHello(FakeWorker.hello("reject-request", 1, "echo")).route("hello");
        RSocket connection = setup.connect(port);
        RawSetup.rejectionOf(connection);

        StepVerifier.create(connection.requestResponse(DefaultPayload.create("{}")))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(RejectedSetupException.class);
                    assertThat(ProtocolException.fromWire(failure.getMessage()).code())
                            .isEqualTo(ErrorCode.INVALID_REQUEST);
                })
                .verify(Duration.ofSeconds(5));
    }

    private Set<String> knownIds() {
        return registry.all().stream().map(WorkerSession::id).collect(Collectors.toSet());
    }

    private void assertNotRegistered(String workerId) {
        assertThat(registry.find(workerId)).isEmpty();
        assertThat(registry.all()).extracting(WorkerSession::id).doesNotContain(workerId);
    }
}
