package io.taskwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.util.ByteBufPayload;
import io.rsocket.util.DefaultPayload;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.transport.RSocketMetrics.Side;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The metered layer counts every interaction by route, mode, side and outcome, refusals included. */
@ExtendWith(OutputCaptureExtension.class)
class MeteredRSocketTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RSocketMetrics metrics = new RSocketMetrics(registry);
    private final RoutePolicy policy = new RoutePolicy("client", Set.of(Routes.TASK_GET, Routes.TASK_SUBMIT_ONEWAY),
            Set.of(Routes.WORKER_DRAIN), 1024);

    @Test
    void countsSuccessesWithBytesEachWay() {
        RSocket responder = MeteredRSocket.guardedResponder(answering("{\"taskId\":\"t-1\"}"), policy, metrics, null);

        StepVerifier.create(responder.requestResponse(request(Routes.TASK_GET, "{\"taskId\":\"t-1\"}")))
                .expectNextCount(1).expectComplete().verify(WITHIN);

        assertThat(count(Routes.TASK_GET, "request-response", "success")).isEqualTo(1);
        assertThat(registry.get("taskwire.rsocket.payload").tags("route", Routes.TASK_GET, "direction", "received")
                .summary().totalAmount()).isEqualTo(16);
        assertThat(registry.get("taskwire.rsocket.payload").tags("route", Routes.TASK_GET, "direction", "sent")
                .summary().totalAmount()).isEqualTo(16);
    }

    @Test
    void countsRefusalsByCodeAndUnknownRoutesAsUnknown() {
        RSocket responder = MeteredRSocket.guardedResponder(answering("{}"), policy, metrics, null);

        StepVerifier.create(responder.requestResponse(request(Routes.WORKER_DRAIN, "{}")))
                .expectError(ApplicationErrorException.class).verify(WITHIN);
        StepVerifier.create(responder.requestResponse(request("no.such.route-" + System.nanoTime(), "{}")))
                .expectError(ApplicationErrorException.class).verify(WITHIN);

        assertThat(count(Routes.WORKER_DRAIN, "request-response", "FORBIDDEN")).isEqualTo(1);
        assertThat(count("unknown", "request-response", "NOT_FOUND")).isEqualTo(1);
    }

    @Test
    void failedFireAndForgetIsCountedAndDropped() {
        RSocket failing = new RSocket() {
            @Override
            public Mono<Void> fireAndForget(Payload payload) {
                payload.release();
                return Mono.error(new ProtocolException(ErrorCode.NOT_FOUND, "no task"));
            }
        };
        RSocket responder = MeteredRSocket.guardedResponder(failing, policy, metrics, null);

        StepVerifier.create(responder.fireAndForget(request(Routes.TASK_SUBMIT_ONEWAY, "{}")))
                .expectComplete().verify(WITHIN);

        assertThat(count(Routes.TASK_SUBMIT_ONEWAY, "fire-and-forget", "NOT_FOUND")).isEqualTo(1);
    }

    @Test
    void reportLogsOneLinePerRoute(CapturedOutput output) {
        RSocket requester = new MeteredRSocket(answering("{}"), metrics, Side.REQUESTER);
        requester.requestResponse(request(Routes.TASK_GET, "{\"taskId\":\"t-2\"}")).block(WITHIN);

        new CommunicationReport(registry, Duration.ofMinutes(1)).report();

        assertThat(output.getOut()).contains("task.get request-response requester: 1 calls, 0 failed");
    }

    private long count(String route, String mode, String outcome) {
        return registry.get("taskwire.rsocket.requests")
                .tags("route", route, "mode", mode, "outcome", outcome).timer().count();
    }

    private static RSocket answering(String json) {
        return new RSocket() {
            @Override
            public Mono<Payload> requestResponse(Payload payload) {
                payload.release();
                return Mono.just(DefaultPayload.create(json));
            }
        };
    }

    private static Payload request(String route, String json) {
        return ByteBufPayload.create(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8), RouteMetadata.encode(route));
    }
}
